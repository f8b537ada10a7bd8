import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runCli } from './run-cli.ts';
import { parseRef, familiarName, familiarString, withDefaultTag, fullString } from './reference.ts';
import { parseGoDuration, timestampArg } from './time-arg.ts';
import { authKey, registryAuthHeader } from './config-file.ts';
import { parseFilterFlags } from './filters-flag.ts';
import { prettyEvent } from './commands/system/events.ts';
import { dfRows } from './commands/system/system.ts';
import { startErrorStatus } from './commands/container/run.ts';

async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => { out += c; });
  stderr.on('data', (c) => { err += c; });
  const code = await runCli(argv, { io: { stdin: new PassThrough(), stdout, stderr, env: { DOCKER_HOST: 'unix:///nonexistent/berth.sock', ...env } }, onSignal: () => () => {} });
  return { code, out, err };
}

test('help, version, unknown commands and flags (Docker texts and exit codes)', async () => {
  const h = await cli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /Usage:  berth \[OPTIONS\] COMMAND/);
  for (const c of ['run', 'ps', 'images', 'inspect', 'logs', 'exec', 'login', 'save', 'load', 'import']) assert.match(h.out, new RegExp(`\\n  ${c} `));
  assert.match(h.out, /Management Commands:\n {2}container/);
  assert.match((await cli(['--version'])).out, /^berth version \d+\.\d+\.\d+/);
  const u = await cli(['frob']);
  assert.equal(u.code, 1);
  assert.equal(u.err, "berth: unknown command: berth frob\n\nRun 'berth --help' for more information\n");
  const f = await cli(['ps', '--bad']);
  assert.equal(f.code, 125);
  assert.equal(f.err, "unknown flag: --bad\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n");
  const a = await cli(['rm']);
  assert.equal(a.code, 1);
  assert.equal(a.err, "berth: 'berth rm' requires at least 1 argument\n\nUsage:  berth rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth rm --help' for more information\n");
  assert.equal((await cli(['-x'])).code, 125);
  const r = await cli(['run', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /-p, --publish list/);
  assert.match((await cli(['container', 'ls', '--help'])).out, /Usage:  berth container ls \[OPTIONS\]/);
  assert.match((await cli(['image'])).out, /Commands:\n {2}history/);
  assert.equal((await cli(['container', 'frob'])).code, 1);
});

test('daemon unreachable: message naming the host, status 1', async () => {
  const r = await cli(['ps']);
  assert.equal(r.code, 1);
  assert.match(r.err, /Cannot connect to the berth daemon at unix:\/\/\/nonexistent\/berth.sock/);
  const h = await cli(['-H', 'unix:///elsewhere.sock', 'ps'], {});
  assert.match(h.err, /unix:\/\/\/elsewhere.sock/);
  const run = await cli(['run', 'busybox']);
  assert.equal(run.code, 125);
  assert.match(run.err, /^berth: Cannot connect/);
});

test('references: normalized as distribution/reference does', () => {
  assert.equal(fullString(withDefaultTag(parseRef('busybox'))), 'docker.io/library/busybox:latest');
  assert.equal(familiarString(withDefaultTag(parseRef('busybox'))), 'busybox:latest');
  assert.equal(familiarName(parseRef('docker.io/library/busybox:1')), 'busybox');
  assert.equal(familiarName(parseRef('localhost:5000/a/b:t')), 'localhost:5000/a/b');
  assert.equal(parseRef('x@sha256:' + 'a'.repeat(64)).digest, 'sha256:' + 'a'.repeat(64));
  assert.equal(familiarName(parseRef('user/app')), 'user/app');
  assert.throws(() => parseRef('UPPER'), /invalid reference format/);
  assert.throws(() => parseRef('a:b:c'), /invalid reference format/);
});

test('times: Go durations, RFC 3339, unix seconds', () => {
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('10s'), 10_000);
  assert.equal(parseGoDuration('abc'), undefined);
  assert.equal(timestampArg('10m', 1_700_000_600_000), '1700000000.000000000');
  assert.equal(timestampArg('1700000000', 0), '1700000000');
  assert.equal(timestampArg('2024-01-01T00:00:00Z', 0), '1704067200.000000000');
  assert.equal(timestampArg('2024-01-01', 0), '1704067200.000000000');
  assert.throws(() => timestampArg('yesterday', 0), /failed to parse/);
});

test('config.json auths, filters, events, df, start errors', () => {
  assert.equal(authKey(''), 'https://index.docker.io/v1/');
  assert.equal(authKey('docker.io'), 'https://index.docker.io/v1/');
  assert.equal(authKey('https://reg.example:5000/'), 'reg.example:5000');
  const hdr = registryAuthHeader({ auths: { 'reg:5000': { auth: Buffer.from('u:p:x').toString('base64') } } }, 'reg:5000');
  assert.deepEqual(JSON.parse(Buffer.from(hdr, 'base64url').toString()), { username: 'u', password: 'p:x', serveraddress: 'reg:5000' });
  assert.deepEqual(parseFilterFlags(['status=exited', 'label=a=b', 'status=created']), { status: ['exited', 'created'], label: ['a=b'] });
  assert.throws(() => parseFilterFlags(['nope']), /bad format of filter/);
  assert.equal(prettyEvent({ Type: 'container', Action: 'start', Actor: { ID: 'abc', Attributes: { name: 'x', image: 'busybox' } }, scope: 'local', time: 1, timeNano: 1_700_000_000_500_000_000 }),
    '2023-11-14T22:13:20.500000000Z container start abc (image=busybox, name=x)\n');
  const rows = dfRows({ LayersSize: 4_000_000, Images: [{ Size: 4_000_000, SharedSize: 0, Containers: 0 }], Containers: [{ SizeRw: 0, State: 'running' }] });
  assert.deepEqual(rows.map((r) => `${r.Type}|${r.TotalCount}|${r.Active}|${r.Size}|${r.Reclaimable}`), [
    'Images|1|0|4MB|4MB (100%)', 'Containers|1|1|0B|0B', 'Local Volumes|0|0|0B|0B', 'Build Cache|0|0|0B|0B',
  ]);
  assert.equal(startErrorStatus('exec: "x": executable file not found in $PATH'), 127);
  assert.equal(startErrorStatus('exec: "/etc": permission denied'), 126);
  assert.equal(startErrorStatus('something else'), 125);
});

test('berth registry serve|gc dispatch to the runner main.ts wires, argv untouched', async () => {
  const seen: string[][] = [];
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c) => { out += c; });
  const code = await runCli(['registry', 'gc', '--root', '/x', '--dry-run'], {
    io: { stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {} }, onSignal: () => () => {},
    registry: async (argv, io) => { seen.push(argv); io.out('done'); return 0; },
  });
  assert.equal(code, 0);
  assert.deepEqual(seen, [['gc', '--root', '/x', '--dry-run']]);
  assert.equal(out, 'done\n');
});

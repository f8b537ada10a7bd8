// docker run -d and docker logs against berthd: stdout/stderr split, -f following until the
// exit, --tail, --timestamps, --since/--until, TTY logs, and the json-file log on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { docker, DOCKER_BIN } from './support/docker-cli.ts';
import { useBerthd, noDocker, ok, eventually } from './support/container-fixture.ts';

const berthd = useBerthd();
const skip = noDocker;
const COUNT = 'for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; sleep 0.2; done; exit 4';

test('docker run -d prints the id; docker logs splits stdout and stderr', { skip }, async () => {
  const d = berthd();
  const id = await ok(d, ['run', '-d', '--name', 'lg', 'busybox', 'sh', '-c', 'echo one; echo two >&2; echo three']);
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(await ok(d, ['wait', 'lg']), '0');
  const r = await docker(['logs', 'lg'], d.dockerEnv);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'one\nthree\n');
  assert.equal(r.stderr, 'two\n');
  const none = await docker(['logs', 'no-such-one'], d.dockerEnv);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /No such container: no-such-one/);
});

test('docker logs -f follows a running container until it exits', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'lf', 'busybox', 'sh', '-c', COUNT]);
  const t0 = Date.now();
  const r = await docker(['logs', '-f', 'lf'], d.dockerEnv, { timeoutMs: 15_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'out1\nout2\nout3\nout4\nout5\n');
  assert.equal(r.stderr, 'err1\nerr2\nerr3\nerr4\nerr5\n');
  assert.ok(Date.now() - t0 >= 500, 'logs -f waited for the container');
  assert.equal(await ok(d, ['inspect', '--format', '{{.State.ExitCode}}', 'lf']), '4');
  const after = await docker(['logs', '-f', 'lf'], d.dockerEnv, { timeoutMs: 5000 });
  assert.equal(after.stdout, 'out1\nout2\nout3\nout4\nout5\n', 'logs -f of an exited container ends at once');
});

test('docker logs -f sees lines as they are written', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'live', 'busybox', 'sh', '-c', 'echo first; sleep 1.5; echo second']);
  const child = spawn(DOCKER_BIN, ['logs', '-f', 'live'], { env: d.dockerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const done = new Promise<number | null>((r) => child.on('close', r));
  try {
    await eventually(async () => out === 'first\n', 'the first line through logs -f', 5000);
    assert.equal(await ok(d, ['inspect', '--format', '{{.State.Running}}', 'live']), 'true', 'the line came before the exit');
    await eventually(async () => out === 'first\nsecond\n', 'the second line', 5000);
    assert.equal(await done, 0);
  } finally {
    child.kill();
  }
});

test('--tail, --timestamps, --since, --until', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '--name', 'lt', 'busybox', 'sh', '-c', 'for i in 1 2 3 4 5 6; do echo line$i; done; sleep 1.2; echo late']);
  await ok(d, ['wait', 'lt']);
  assert.equal(await ok(d, ['logs', '--tail', '2', 'lt']), 'line6\nlate');
  assert.equal(await ok(d, ['logs', '-n', '0', 'lt']), '');
  assert.equal(await ok(d, ['logs', '--tail', 'all', 'lt']), 'line1\nline2\nline3\nline4\nline5\nline6\nlate');
  const stamped = (await ok(d, ['logs', '-t', '--tail', '3', 'lt'])).split('\n');
  assert.equal(stamped.length, 3);
  for (const l of stamped) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (line5|line6|late)$/);
  const lateAt = Date.parse(stamped[2].split(' ')[0]);
  const sixAt = stamped[1].split(' ')[0];
  // --since takes RFC 3339 and unix seconds; the late line is over a second after the others.
  assert.equal(await ok(d, ['logs', '--since', new Date(lateAt - 500).toISOString(), 'lt']), 'late');
  assert.equal(await ok(d, ['logs', '--since', ((lateAt - 500) / 1000).toFixed(3), 'lt']), 'late');
  assert.equal(await ok(d, ['logs', '--since', '1h', '--tail', '1', 'lt']), 'late');
  assert.equal(await ok(d, ['logs', '--until', new Date(lateAt - 500).toISOString(), 'lt']), 'line1\nline2\nline3\nline4\nline5\nline6');
  // As Docker's json-file reader: --tail picks the last lines first, --until then filters them.
  assert.equal(await ok(d, ['logs', '--until', new Date(lateAt - 500).toISOString(), '--tail', '1', 'lt']), '');
  assert.equal(await ok(d, ['logs', '--since', sixAt, '--until', new Date(lateAt - 500).toISOString(), 'lt']), 'line6');
  const future = await ok(d, ['logs', '--since', String(Math.floor(Date.now() / 1000) + 3600), 'lt']);
  assert.equal(future, '');
});

test('the log is Docker\'s json-file at LogPath', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '--name', 'lj', 'busybox', 'sh', '-c', 'echo "a \\"quoted\\" line"; printf "no newline" >&2']);
  const path = await ok(d, ['inspect', '--format', '{{.LogPath}}', 'lj']);
  assert.ok(path.startsWith(`${d.dataRoot}/containers/`), path);
  assert.match(path, /\/([0-9a-f]{64})\/\1-json\.log$/);
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { log: string; stream: string; time: string });
  assert.deepEqual(lines.map(({ log, stream }) => ({ log, stream })).sort((a, b) => a.stream.localeCompare(b.stream)), [
    { log: 'no newline', stream: 'stderr' },
    { log: 'a "quoted" line\n', stream: 'stdout' },
  ]);
  for (const l of lines) assert.match(l.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
  assert.equal(await ok(d, ['inspect', '--format', '{{.HostConfig.LogConfig.Type}}', 'lj']), 'json-file');
});

test('a TTY container\'s logs come raw (stderr merged into stdout, CRLF)', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '-d', '-t', '--name', 'ltty', 'busybox', 'sh', '-c', 'echo out; echo err >&2']);
  await ok(d, ['wait', 'ltty']);
  const r = await docker(['logs', 'ltty'], d.dockerEnv);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'out\r\nerr\r\n');
  assert.equal(r.stderr, '');
});

test('--log-opt max-size rotates: logs still read across the files', { skip }, async () => {
  const d = berthd();
  await ok(d, ['run', '--name', 'lrot', '--log-opt', 'max-size=10k', '--log-opt', 'max-file=3', 'busybox', 'sh', '-c', 'i=0; while [ $i -lt 600 ]; do echo "line $i ................"; i=$((i+1)); done']);
  const lines = (await ok(d, ['logs', 'lrot'])).split('\n');
  assert.ok(lines.length < 600, `rotation dropped the oldest lines (got ${lines.length})`);
  assert.equal(lines.at(-1), 'line 599 ................');
  const n = Number(/^line (\d+)/.exec(lines[0])![1]);
  assert.deepEqual(lines, Array.from({ length: 600 - n }, (_, i) => `line ${n + i} ................`));
});

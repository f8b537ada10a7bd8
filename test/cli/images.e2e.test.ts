// berth's image commands end to end: a `berth registry serve` on a free port, push/pull/run
// through it (pull output identical to docker's), save/load/import, tag/rmi; -it through a pty.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { haveDocker } from '../e2e/support/docker-cli.ts';
import { busyboxRootfs } from '../support/bundle.ts';
import { requires } from '../support/requires.ts';
import { BERTH_BIN, startCliDaemon, type CliDaemon } from './support.ts';
import { noTerminal, onTerminal } from '../e2e/support/terminal.ts';

const skip = requires('root', 'overlay', 'busybox') || (haveDocker() ? false : 'docker CLI not installed');
let c: CliDaemon;
let reg: ChildProcess | undefined;
let regRoot = '';
let port = 0;

before(async () => {
  if (skip) return;
  c = await startCliDaemon();
  regRoot = mkdtempSync('/tmp/berth-test-cli-reg-');
  reg = spawn(BERTH_BIN, ['registry', 'serve', '--addr', '127.0.0.1:0', '--root', regRoot, '--quiet'], { env: { ...process.env, BERTH_DEV: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  port = await new Promise<number>((resolve, reject) => {
    let text = '';
    const on = (b: Buffer) => { text += b; const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text); if (m) resolve(Number(m[1])); };
    reg!.stdout!.on('data', on);
    reg!.stderr!.on('data', on);
    reg!.once('exit', (code) => reject(new Error(`registry exited ${code}: ${text}`)));
  });
});

after(async () => {
  if (reg?.pid && reg.exitCode === null) { reg.kill('SIGTERM'); await new Promise((r) => reg!.once('exit', r)); }
  if (c) {
    const ids = (await c.berth(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
    if (ids.length) await c.berth(['rm', '-f', ...ids]);
    await c.stop();
  }
  if (regRoot) rmSync(regRoot, { recursive: true, force: true });
});

test('push to berth registry, pull back (same output as docker pull), run pulls when missing', { skip }, async () => {
  const ref = `localhost:${port}/bb:1`;
  assert.equal((await c.berth(['tag', 'busybox', ref])).code, 0);
  const push = await c.berth(['push', ref]);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, new RegExp(`^The push refers to repository \\[localhost:${port}/bb\\]\\n[\\s\\S]*1: digest: sha256:[0-9a-f]{64} size: \\d+\\n$`));
  assert.equal((await c.berth(['rmi', ref])).code, 0);
  const pb = await c.berth(['pull', ref]);
  assert.equal(pb.code, 0, pb.stderr);
  assert.equal((await c.berth(['rmi', ref])).code, 0);
  const pd = await c.docker(['pull', ref]);
  assert.equal(pb.stdout, pd.stdout);
  assert.match(pb.stdout, /Status: Downloaded newer image for localhost:\d+\/bb:1\n/);
  assert.equal((await c.berth(['rmi', ref])).code, 0);
  const run = await c.berth(['run', '--rm', ref, 'echo', 'pulled']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'pulled\n');
  assert.match(run.stderr, new RegExp(`^Unable to find image '${ref}' locally\\n1: Pulling from bb\\n`));
  const q = await c.berth(['pull', '-q', ref]);
  assert.equal(q.stdout, `${ref}\n`);
});

test('save -o, load -i / stdin, import --change, tag, rmi', { skip }, async () => {
  const dir = mkdtempSync('/tmp/berth-test-cli-save-');
  try {
    const tar = join(dir, 'bb.tar');
    assert.equal((await c.berth(['save', '-o', tar, 'busybox'])).code, 0);
    assert.ok(readFileSync(tar).length > 1_000_000);
    const l = await c.berth(['load', '-i', tar]);
    assert.deepEqual([l.code, l.stdout], [0, 'Loaded image: busybox:latest\n']);
    const rootTar = join(dir, 'root.tar');
    spawnSync('tar', ['-C', busyboxRootfs(), '-cf', rootTar, '.']);
    const imp = await c.berth(['import', '-c', 'CMD ["echo", "from-import"]', rootTar, 'imported:x']);
    assert.equal(imp.code, 0, imp.stderr);
    assert.match(imp.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal((await c.berth(['run', '--rm', 'imported:x'])).stdout, 'from-import\n');
    assert.equal((await c.berth(['image', 'inspect', '-f', '{{.Config.Cmd}}', 'imported:x'])).stdout, '[echo from-import]\n');
    const rmi = await c.berth(['image', 'rm', 'imported:x', 'nosuch']);
    assert.equal(rmi.code, 1);
    assert.match(rmi.stdout, /^Untagged: imported:x\nDeleted: sha256:/);
    assert.equal(rmi.stderr, 'Error response from daemon: No such image: nosuch:latest\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run -it through a pty: a terminal inside, exit status out; logout without login', { skip: skip || noTerminal }, async () => {
  const r = onTerminal([BERTH_BIN, 'run', '-it', '--rm', 'busybox', 'sh', '-c', 'tty; exit 5'], '', { ...c.d.dockerEnv, BERTH_DEV: '1' });
  assert.equal(r.status, 5);
  assert.match(r.stdout, /\/dev\/pts\/0/);
  const out = await c.berth(['logout', 'localhost:1']);
  assert.equal(out.stdout, 'Not logged in to localhost:1\n');
});

// create / start / state / exec / pause / resume / kill / delete of a busybox container, and
// bad bundles that must fail cleanly, leaving nothing behind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, openSync, closeSync, readFileSync, writeFileSync, mkdirSync, symlinkSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { requires, testName } from '../support/requires.ts';
import { makeBundle, type TestBundle } from '../support/bundle.ts';
import { makeRuntime } from '../support/runtime.ts';
import { isCode } from '../../src/errors/errors.ts';

const skip = requires('root', 'busybox', 'cgroup-v1');
const trt = skip ? undefined : makeRuntime();
const bundles: TestBundle[] = [];
after(async () => { await trt?.cleanup(); bundles.forEach((b) => b.cleanup()); });

function bundle(tag: string, args: string[], mutate?: Parameters<typeof makeBundle>[2], opts?: Parameters<typeof makeBundle>[3]) {
  const b = makeBundle(tag, args, mutate, opts);
  bundles.push(b);
  return b;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(f: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await wait(10);
  }
}

test('create, start, exec, pause, resume, kill, delete', { skip }, async () => {
  const { rt } = trt!;
  const b = bundle('life', ['sleep', '300'], (s) => { s.linux!.resources = { memory: { limit: 64 * 1024 * 1024 } }; });
  const { state } = await rt.create({ id: b.id, bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] });
  assert.equal(await rt.status(b.id), 'created');
  const st = await rt.state(b.id);
  assert.equal(st.status, 'created');
  assert.equal(st.pid, state.pid);
  assert.equal(st.bundle, b.dir);
  // The process waits at the gate: not yet sleep.
  assert.notEqual(readFileSync(`/proc/${state.pid}/cmdline`, 'utf8').split('\0')[0], 'sleep');

  await rt.start(b.id);
  await until(() => readFileSync(`/proc/${state.pid}/cmdline`, 'utf8').startsWith('sleep'));
  assert.equal(await rt.status(b.id), 'running');
  await assert.rejects(rt.start(b.id), /already started/);

  const outPath = join(b.dir, 'exec.out');
  const out = openSync(outPath, 'w');
  const helper = await rt.exec({ id: b.id, process: { args: ['sh', '-c', 'echo $$; hostname; cat /proc/1/cmdline'] }, stdio: ['ignore', out, out] });
  const { exitCode } = await helper.exited;
  closeSync(out);
  assert.equal(exitCode, 0);
  const [pid, host, cmd] = readFileSync(outPath, 'utf8').split('\n');
  assert.notEqual(pid, '1');
  assert.equal(host, b.spec.hostname);
  assert.equal(cmd.replaceAll('\0', ' ').trim(), 'sleep 300');

  const pids = await rt.ps(b.id);
  assert.deepEqual(pids, [state.pid]);

  await rt.pause(b.id);
  assert.equal(await rt.status(b.id), 'paused');
  await rt.resume(b.id);
  assert.equal(await rt.status(b.id), 'running');

  await assert.rejects(rt.delete(b.id), /not stopped: running/);
  await rt.kill(b.id, 'KILL');
  await until(async () => (await rt.status(b.id)) === 'stopped');
  const stopped = await rt.state(b.id);
  assert.equal(stopped.exitCode, 137);
  const cgroupDirs = state.cgroup!.procsFiles.map((f) => dirname(f));
  await rt.delete(b.id);
  assert.ok(!existsSync(join(trt!.root, b.id)));
  for (const d of cgroupDirs) assert.ok(!existsSync(d), `cgroup ${d} left`);
  await assert.rejects(rt.state(b.id), (e: unknown) => isCode(e, 'NotFound'));
});

test('a created container can be deleted without force', { skip }, async () => {
  const { rt } = trt!;
  const b = bundle('created-del', ['true']);
  const { state } = await rt.create({ id: b.id, bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] });
  await rt.delete(b.id);
  await until(() => !existsSync(`/proc/${state.pid}`));
  assert.ok(!existsSync(join(trt!.root, b.id)));
});

test('the same id cannot be created twice', { skip }, async () => {
  const { rt } = trt!;
  const b = bundle('dup', ['sleep', '30']);
  await rt.create({ id: b.id, bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] });
  await assert.rejects(rt.create({ id: b.id, bundle: b.dir }), /container with id exists/);
  await rt.delete(b.id, true);
});

function assertNothingLeft(id: string) {
  assert.ok(!existsSync(join(trt!.root, id)), 'state dir left');
  const cgroupLeft = readdirSync('/sys/fs/cgroup/pids').some((n) => n === id);
  assert.ok(!cgroupLeft, 'cgroup left');
  assert.ok(!readFileSync('/proc/self/mountinfo', 'utf8').includes(id), 'mount left');
}

const badBundles: [string, (b: TestBundle) => void, RegExp][] = [
  ['missing rootfs', (b) => { b.spec.root = { path: join(b.dir, 'nope') }; b.write(); }, /rootfs .* does not exist/],
  ['invalid JSON', (b) => writeFileSync(join(b.dir, 'config.json'), '{"ociVersion": '), /not valid JSON/],
  ['unknown namespace', (b) => { b.spec.linux!.namespaces!.push({ type: 'bogus' as 'pid' }); b.write(); }, /unknown namespace type "bogus"/],
  ['relative cwd', (b) => { b.spec.process!.cwd = 'tmp'; b.write(); }, /absolute path/],
  ['relative mount destination', (b) => { b.spec.mounts!.push({ destination: 'data', type: 'tmpfs', source: 'tmpfs' }); b.write(); }, /absolute path/],
  ['missing bind source', (b) => { b.spec.mounts!.push({ destination: '/data', type: 'bind', source: '/nonexistent-berth', options: ['rbind'] }); b.write(); }, /does not exist/],
  ['a command that does not exist', (b) => { b.spec.process!.args = ['/no/such/binary']; b.write(); }, /no\/such\/binary/],
];

for (const [name, breakIt, re] of badBundles) {
  test(`bad bundle: ${name} → clear error, nothing left`, { skip }, async () => {
    const b = bundle('bad', ['true']);
    breakIt(b);
    await assert.rejects(trt!.rt.create({ id: b.id, bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] }), re);
    assertNothingLeft(b.id);
  });
}

test('a mount target through a symlink that climbs out of the root stays inside the root', { skip }, async () => {
  const outside = join('/tmp', testName('outside'));
  mkdirSync(outside);
  const b = bundle('symlink', ['sh', '-c', 'cat /proc/mounts | grep -c evil || true'], (s) => {
    s.mounts!.push({ destination: '/evil/x', type: 'tmpfs', source: 'tmpfs', options: ['size=1m'] });
  }, { writableRootfs: true });
  symlinkSync(`../../../../../../../..${outside}`, join(b.dir, 'rootfs', 'evil'));
  try {
    await assert.rejects(trt!.rt.create({ id: b.id, bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] }), /evil.*outside the root|symlink/);
    assert.deepEqual(readdirSync(outside), [], 'something was created outside the root');
    assertNothingLeft(b.id);
  } finally {
    (await import('node:fs')).rmSync(outside, { recursive: true, force: true });
  }
});

// The container service end to end on the real kernel: an imported busybox image, overlay
// rootfs, the runtime with the monitor holding stdio; create/start/logs/wait/stop/kill/rm,
// restart policies, and picking containers up again in a new service (a daemon restart).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { requires } from '../support/requires.ts';
import { makeEngine, importBusybox, testNetworkEnv, type TestEngine } from '../support/engine.ts';
import { createEngine } from '../../src/daemon/engine.ts';
import { readLogs } from '../../src/container/logs/reader.ts';
import { join } from 'node:path';

const skip = requires('root', 'busybox', 'overlay', 'cgroup-v1');
let te: TestEngine;
before(async () => { if (!skip) { te = await makeEngine(); await importBusybox(te.engine); } });
after(async () => { await te?.cleanup(); });

async function logsOf(path: string): Promise<string> {
  let out = '';
  for await (const e of readLogs(path)) out += `${e.stream}:${e.log}`;
  return out;
}

test('create, start, wait, logs; the exit code and the events', { skip }, async () => {
  const c = te.engine.containers;
  const { Id } = await c.create({ Image: 'busybox', Cmd: ['sh', '-c', 'echo hello; echo oops >&2; exit 5'] }, 'svc-basic');
  assert.match(Id, /^[0-9a-f]{64}$/);
  assert.equal(c.get('svc-basic').State.Running, false);
  const waited = c.wait(Id, 'next-exit');
  await c.start(Id);
  assert.deepEqual(await waited, { StatusCode: 5, Error: null });
  const rec = c.get(Id.slice(0, 10));
  assert.equal(rec.State.ExitCode, 5);
  assert.equal(rec.State.Running, false);
  assert.equal(await logsOf(rec.LogPath), 'stdout:hello\nstderr:oops\n');
  assert.deepEqual(te.events.filter((e) => e.Actor.ID === Id).map((e) => e.Action), ['create', 'start', 'die']);
  // The rootfs is unmounted and the runtime state gone once it exited.
  assert.equal(existsSync(join(c.rootfsDir(Id), 'bin')), false);
  await c.remove(Id);
  assert.throws(() => c.get(Id), /No such container/);
});

test('stop sends the stop signal, then SIGKILL after the timeout', { skip }, async () => {
  const c = te.engine.containers;
  const { Id } = await c.create({ Image: 'busybox', Cmd: ['sh', '-c', 'trap "" TERM; echo up; sleep 60'] });
  await c.start(Id);
  const t0 = Date.now();
  await c.stop(Id, 1);
  assert.ok(Date.now() - t0 >= 900, 'waited for the timeout');
  assert.equal(c.get(Id).State.ExitCode, 137);
  await assert.rejects(c.stop(Id), /not modified|already stopped|is not running/i);
  await c.remove(Id);
});

test('a running container refuses rm without force; rm -f kills it', { skip }, async () => {
  const c = te.engine.containers;
  const { Id } = await c.create({ Image: 'busybox', Cmd: ['sleep', '60'] }, 'svc-rm');
  await c.start(Id);
  await assert.rejects(c.remove('svc-rm'), /container is running: stop the container before removing or force remove/);
  await c.remove('svc-rm', { force: true });
  assert.equal(c.records.has(Id), false);
});

test('a missing command fails start with exit code 127 and leaves no mount', { skip }, async () => {
  const c = te.engine.containers;
  const { Id } = await c.create({ Image: 'busybox', Cmd: ['no-such-cmd'] });
  await assert.rejects(c.start(Id), /executable file not found/);
  assert.equal(c.get(Id).State.ExitCode, 127);
  assert.equal(existsSync(join(c.rootfsDir(Id), 'bin')), false);
  await c.remove(Id);
});

test('on-failure restart policy restarts up to the maximum', { skip }, async () => {
  const c = te.engine.containers;
  const { Id } = await c.create({ Image: 'busybox', Cmd: ['sh', '-c', 'echo run; exit 1'], HostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 2 } } });
  await c.start(Id);
  const dies = () => te.events.filter((e) => e.Actor.ID === Id && e.Action === 'die').length;
  for (let i = 0; i < 100 && dies() < 3; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 1000)); // no fourth run
  assert.equal(c.get(Id).RestartCount, 2);
  assert.equal(dies(), 3);
  assert.equal(await logsOf(c.get(Id).LogPath), 'stdout:run\n'.repeat(3));
  await c.remove(Id, { force: true });
});

test('containers keep running across a service restart and are found again', { skip }, async () => {
  const c = te.engine.containers;
  const { Id } = await c.create({ Image: 'busybox', Cmd: ['sh', '-c', 'echo before; sleep 1; echo after; exit 3'] }, 'svc-survive');
  await c.start(Id);
  const pid = c.get(Id).State.Pid;
  c.close(); // the "daemon" goes away without touching the container
  const again = createEngine({ dataRoot: join(te.root, 'data'), execRoot: join(te.root, 'exec'), events: { publish() {} }, env: testNetworkEnv(te.root) });
  try {
    await again.containers.restore();
    const rec = again.containers.get('svc-survive');
    assert.equal(rec.State.Running, true);
    assert.equal(rec.State.Pid, pid);
    assert.equal(readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), 'sh');
    assert.deepEqual(await again.containers.wait('svc-survive'), { StatusCode: 3, Error: null });
    assert.equal(await logsOf(rec.LogPath), 'stdout:before\nstdout:after\n');
    await again.containers.remove('svc-survive');
  } finally {
    await again.close();
  }
  // The first engine stands for the daemon that went away: forget what it still believes.
  te.engine.containers.records.delete(Id);
});

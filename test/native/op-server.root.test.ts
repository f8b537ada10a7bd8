// The helper's op server (`berth-helper --serve`): overlay mounts and unmounts the daemon runs
// through it, one request after another and several at once, errors reported with errno and
// the server still serving after them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpServer } from '../../src/native/op-server.ts';
import { helperPath } from '../../src/native/helper-path.ts';
import { helperMounter } from '../../src/daemon/helper-mounts.ts';
import { encodeMessage } from '../../src/native/protocol-codec.ts';
import { requires, testName } from '../support/requires.ts';

const mounted = (dir: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === dir);

test('op server: overlay mount, unmount, errors, concurrency', { skip: requires('root', 'overlay') }, async () => {
  const base = mkdtempSync(join(tmpdir(), `${testName('opsrv')}-`));
  const server = new OpServer(helperPath());
  const m = helperMounter(server);
  const targets: string[] = [];
  try {
    const lower = join(base, 'lower');
    mkdirSync(lower);
    writeFileSync(join(lower, 'hello'), 'from the lower layer');
    const overlayOn = (i: number) => {
      for (const d of [`u${i}`, `w${i}`, `m${i}`]) mkdirSync(join(base, d));
      targets.push(join(base, `m${i}`));
      return m.mount([{ type: 'overlay', source: 'overlay', options: [`lowerdir=${lower}`, `upperdir=${join(base, `u${i}`)}`, `workdir=${join(base, `w${i}`)}`] }], join(base, `m${i}`));
    };
    await overlayOn(0);
    assert.ok(mounted(join(base, 'm0')));
    assert.equal(readFileSync(join(base, 'm0', 'hello'), 'utf8'), 'from the lower layer');
    writeFileSync(join(base, 'm0', 'new'), 'x');
    assert.ok(existsSync(join(base, 'u0', 'new')), 'writes land in the upper dir');
    // Errors: a missing lower dir, an unmount of something not mounted; both say why.
    await assert.rejects(m.mount([{ type: 'overlay', source: 'overlay', options: [`lowerdir=${join(base, 'nope')}`] }], join(base, 'm0')), /mount overlay on .*No such file or directory/);
    await assert.rejects(m.unmount(join(base, 'lower')), /unmount .*lower: umount .*Invalid argument/);
    // Several at once: queued, all done.
    await Promise.all([1, 2, 3, 4, 5].map(overlayOn));
    for (const t of targets) assert.ok(mounted(t), t);
    await Promise.all(targets.map((t) => m.unmount(t)));
    for (const t of targets) assert.ok(!mounted(t), t);
    // A read-only bind.
    const bind = join(base, 'bind');
    mkdirSync(bind);
    targets.push(bind);
    await m.mount([{ type: 'bind', source: lower, options: ['ro'] }], bind);
    assert.throws(() => writeFileSync(join(bind, 'x'), 'y'), /EROFS/);
    await m.unmount(bind, true);
    assert.ok(!mounted(bind));
  } finally {
    for (const t of targets) if (mounted(t)) await m.unmount(t, true).catch(() => {});
    server.close();
    rmSync(base, { recursive: true, force: true });
  }
});

test('op server: spawnHelper forks a helper that connects back, shows its label and runs an op list', { skip: requires('root') }, async () => {
  const base = mkdtempSync(join(tmpdir(), `${testName('opspawn')}-`));
  const server = new OpServer(helperPath(), base);
  try {
    const label = `berth-runtime:${'ab'.repeat(32)}`;
    const { sync, pid } = await server.spawnHelper(label);
    assert.ok(pid > 0);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    assert.equal(cmdline[1], label);
    const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    assert.notEqual(ppid, process.pid, 'nobody\'s child: reparented like a detached spawn');
    const closed = new Promise((r) => sync.once('close', r));
    sync.resume();
    sync.write(encodeMessage([{ op: 'setRoot', path: base }, { op: 'mkdir', path: 'made-by-forked-helper', mode: 0o755 }]));
    await closed;
    assert.ok(existsSync(join(base, 'made-by-forked-helper')));
    // Two at once: each gets its own connection.
    const two = await Promise.all([server.spawnHelper('berth-runtime:one'), server.spawnHelper('berth-runtime:two')]);
    assert.notEqual(two[0].pid, two[1].pid);
    for (const h of two) h.sync.destroy();
  } finally {
    server.close();
    rmSync(base, { recursive: true, force: true });
  }
});

test('op server: killed, it is started again for the next request', { skip: requires('root') }, async () => {
  const base = mkdtempSync(join(tmpdir(), `${testName('opkill')}-`));
  const server = new OpServer(helperPath(), base);
  try {
    await server.run([{ op: 'setRoot', path: base }, { op: 'mkdir', path: 'one', mode: 0o755 }]);
    const pid = (server as unknown as { child?: { pid: number } }).child!.pid;
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    await server.run([{ op: 'setRoot', path: base }, { op: 'mkdir', path: 'two', mode: 0o755 }]);
    assert.ok(existsSync(join(base, 'one')) && existsSync(join(base, 'two')));
    assert.notEqual((server as unknown as { child?: { pid: number } }).child!.pid, pid);
  } finally {
    server.close();
    rmSync(base, { recursive: true, force: true });
  }
});

test('op server: a socket path past the unix limit is an error of spawnHelper (startHelper then spawns)', { skip: requires('root') }, async () => {
  const base = mkdtempSync(join(tmpdir(), `${testName('oplong')}-`));
  const long = join(base, 'd'.repeat(110));
  mkdirSync(long);
  const server = new OpServer(helperPath(), long);
  try {
    await assert.rejects(server.spawnHelper('berth-runtime:long'));
    await server.run([{ op: 'setRoot', path: base }, { op: 'mkdir', path: 'still-serving', mode: 0o755 }]);
    assert.ok(existsSync(join(base, 'still-serving')));
  } finally {
    server.close();
    rmSync(base, { recursive: true, force: true });
  }
});

// The defences against known container escapes, each with a test that fails without it:
// CVE-2019-5736 (the runtime binary rewritten through /proc/PID/exe) and CVE-2024-21626
// (a working directory reached through a leaked host fd). The symlink escape of mount targets
// is in lifecycle.root.test.ts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, writeSync, readlinkSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { requires, testName } from '../support/requires.ts';
import { makeBundle, busyboxRootfs, type TestBundle } from '../support/bundle.ts';
import { makeRuntime } from '../support/runtime.ts';
import { startHelper } from '../../src/native/helper-process.ts';
import { helperPath } from '../../src/native/helper-path.ts';
import { CLONE, MS } from '../../src/runtime/plan/linux-flags.ts';

const skip = requires('root', 'busybox', 'cgroup-v1');
const trt = skip ? undefined : makeRuntime();
const bundles: TestBundle[] = [];
after(async () => { await trt?.cleanup(); bundles.forEach((b) => b.cleanup()); });

test('CVE-2019-5736: the monitor runs from a sealed in-memory copy, not the helper file', { skip }, async () => {
  const b = makeBundle('sealed', ['sleep', '30']);
  bundles.push(b);
  const { state } = await trt!.rt.create({ id: b.id, bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] });
  const exe = readlinkSync(`/proc/${state.monitorPid}/exe`);
  assert.match(exe, /^\/memfd:berth-helper/, `monitor exe is ${exe}`);
  // Writing through the link must fail (sealed or busy), and the file on disk stays as it was.
  const before = readFileSync(helperPath());
  assert.throws(() => {
    const fd = openSync(`/proc/${state.monitorPid}/exe`, 'r+');
    try { writeSync(fd, 'x', 0); } finally { closeSync(fd); }
  });
  assert.ok(readFileSync(helperPath()).equals(before));
  await trt!.rt.delete(b.id, true);
});

test('CVE-2024-21626: a cwd through a leaked host directory fd is refused', { skip }, async () => {
  // fd 5 of the helper is a host directory, as a leaked fd would be; the ops pivot into the
  // busybox root and then chdir to /proc/self/fd/5. No close_fds here on purpose: the
  // chdir check itself must refuse.
  const hostDir = join('/tmp', testName('hostdir'));
  mkdirSync(hostDir);
  const dirFd = openSync(hostDir, 'r');
  const root = busyboxRootfs();
  try {
    await assert.rejects(startHelper({
      helperPath: helperPath(), label: 'cve-2024-21626', stdio: ['ignore', 'ignore', 'ignore'], extraFds: [dirFd],
      ops: [
        { op: 'clone', flags: BigInt(CLONE.NEWNS | CLONE.NEWPID), exitFile: '', gateFifo: '' },
        { op: 'mount', source: '', target: '/', fstype: '', flags: BigInt(MS.SLAVE | MS.REC), data: '', targetInRoot: 0 },
        { op: 'mount', source: root, target: root, fstype: '', flags: BigInt(MS.BIND | MS.REC), data: '', targetInRoot: 0 },
        { op: 'setRoot', path: root },
        { op: 'mount', source: 'proc', target: '/proc', fstype: 'proc', flags: 0n, data: '', targetInRoot: 1 },
        { op: 'pivotRoot' },
        { op: 'chdir', path: '/proc/self/fd/5' },
        { op: 'exec', argv: ['/bin/sh', '-c', 'pwd; ls'], env: [], gate: 0 },
      ],
    }), /working directory \/proc\/self\/fd\/5 is outside the container|getcwd after chdir/);
  } finally {
    closeSync(dirFd);
    rmSync(hostDir, { recursive: true, force: true });
  }
});

test('CVE-2024-21626: with the default plan, no host fd is open at chdir time', { skip }, async () => {
  // The runtime's plan closes every inherited fd before chdir: cwd /proc/self/fd/<n> for any
  // n that is not the helper's own fails as a missing directory.
  for (const n of [5, 6, 7, 9]) {
    const b = makeBundle(`cwdfd${n}`, ['pwd']);
    b.spec.process!.cwd = `/proc/self/fd/${n}`;
    b.write();
    bundles.push(b);
    await assert.rejects(trt!.rt.create({ id: b.id, bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] }), /chdir|mkdir|outside/);
  }
});

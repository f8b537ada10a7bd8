// Checked from inside a busybox container: the isolation a container gets.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { requires } from '../support/requires.ts';
import { makeBundle, type TestBundle } from '../support/bundle.ts';
import { makeRuntime, runCaptured } from '../support/runtime.ts';
import { capMask } from '../../src/runtime/caps/index.ts';
import type { Spec } from '../../src/runtime/spec/types.ts';

const skip = requires('root', 'busybox', 'cgroup-v1');
const trt = skip ? undefined : makeRuntime();
const bundles: TestBundle[] = [];
after(async () => { await trt?.cleanup(); bundles.forEach((b) => b.cleanup()); });

async function run(tag: string, script: string, mutate?: (s: Spec) => void, opts?: { writableRootfs?: boolean; init?: boolean }) {
  const b = makeBundle(tag, ['sh', '-c', script], mutate, opts);
  bundles.push(b);
  return { b, ...(await runCaptured(trt!.rt, b, opts?.init)) };
}

test('pid 1, its own hostname, only its own processes', { skip }, async () => {
  const { b, out, exitCode } = await run('pid', 'echo $$; hostname; ps -o pid,comm > /dev/shm/ps; cat /dev/shm/ps');
  assert.equal(exitCode, 0);
  const [pid, host, , ...procs] = out.trim().split('\n');
  assert.equal(pid, '1');
  assert.equal(host, b.spec.hostname);
  // Only the shell (pid 1) and ps itself: none of the host's processes.
  assert.deepEqual(procs.map((l) => l.trim().split(/\s+/)[1]).sort(), ['ps', 'sh'], `ps saw: ${out}`);
  assert.equal(procs[0].trim().split(/\s+/)[0], '1');
});

test('a new network namespace has only lo', { skip }, async () => {
  const { out } = await run('net', 'ls /sys/class/net');
  assert.equal(out.trim(), 'lo');
});

test('/proc/kcore is masked and /proc/sys is read-only', { skip }, async () => {
  // Masked paths that exist on the host read as empty inside (/proc/kcore is absent on some hosts).
  const masked = ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/proc/sched_debug'].find((p) => existsSync(p));
  assert.ok(masked, 'no maskable /proc file on this host');
  const { out, err } = await run('mask', `wc -c < ${masked}; echo 1 > /proc/sys/vm/overcommit_memory && echo wrote; true`);
  assert.equal(out.trim(), '0');
  assert.match(err, /Read-only file system/);
});

test('a read-only root refuses writes; a tmpfs /tmp takes them', { skip }, async () => {
  const { out, err } = await run('ro', 'touch /berth-x 2>&1 || echo refused; touch /tmp/y && echo tmp-ok');
  assert.match(out, /Read-only file system/);
  assert.match(out, /tmp-ok/);
  assert.equal(err, '');
});

test('capability sets equal the configured ones', { skip }, async () => {
  const caps = ['CAP_CHOWN', 'CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_SETUID'];
  const { out } = await run('caps', 'grep ^Cap /proc/self/status', (s) => {
    s.process!.capabilities = { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] };
  });
  const got = Object.fromEntries(out.trim().split('\n').map((l) => l.split(/:\s+/)).map(([k, v]) => [k, BigInt(`0x${v}`)]));
  assert.equal(got.CapBnd, capMask(caps));
  assert.equal(got.CapEff, capMask(caps));
  assert.equal(got.CapPrm, capMask(caps));
  assert.equal(got.CapInh, 0n);
  assert.equal(got.CapAmb, 0n);
});

test('seccomp: mode 2 and a denied syscall fails with EPERM', { skip }, async () => {
  const { out } = await run('seccomp', 'grep ^Seccomp: /proc/self/status; mkdir /tmp/d 2>&1; echo done', (s) => {
    s.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'], syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }] };
  });
  assert.match(out, /Seccomp:\s+2/);
  assert.match(out, /Operation not permitted/);
});

test('a 32 MiB memory limit kills a 64 MiB allocation: exit 137, OOM reported', { skip }, async () => {
  const { exitCode, oomKilled } = await run('oom', 'dd if=/dev/zero of=/dev/null bs=64M count=1', (s) => {
    s.linux!.resources = { memory: { limit: 32 * 1024 * 1024, swap: 32 * 1024 * 1024 } };
  }, { init: false });
  assert.equal(exitCode, 137);
  assert.equal(oomKilled, true);
});

test('a pids limit stops a fork bomb', { skip }, async () => {
  const { out, err } = await run('pids', 'for i in $(seq 1 40); do sleep 30 & done; echo started; ls -d /proc/[0-9]* | wc -l', (s) => {
    s.linux!.resources = { pids: { limit: 16 } };
  });
  assert.match(err + out, /can't fork|Resource temporarily unavailable/);
  const count = Number(out.trim().split('\n').at(-1));
  if (!Number.isNaN(count)) assert.ok(count <= 16, `saw ${count} processes`);
});

test('the configured user and groups', { skip }, async () => {
  const { out } = await run('user', 'id -u; id -g; id -G', (s) => {
    s.process!.user = { uid: 1000, gid: 1000, additionalGids: [10, 29] };
  });
  const [uid, gid, groups] = out.trim().split('\n');
  assert.equal(uid, '1000');
  assert.equal(gid, '1000');
  assert.deepEqual([...new Set(groups.split(' '))].sort(), ['10', '1000', '29']);
});

test('rlimits', { skip }, async () => {
  const { out } = await run('rlimit', 'ulimit -Sn; ulimit -Hn', (s) => {
    s.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 512, hard: 1000 }];
  });
  assert.deepEqual(out.trim().split('\n'), ['512', '1000']);
});

test('exit codes as runc reports them', { skip }, async () => {
  assert.equal((await run('exit3', 'exit 3')).exitCode, 3);
  // pid 1 of a pid namespace ignores signals it has no handler for, so this one runs without.
  const noPidNs = (s: Spec) => { s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'pid'); };
  assert.equal((await run('sigterm', 'kill -TERM $$; sleep 5', noPidNs)).exitCode, 143);
});

test('--init reaps zombies and forwards the exit status', { skip }, async () => {
  const { out, exitCode } = await run('init', 'echo $$; (sleep 0.1 &) ; sleep 0.3; ps -o stat | grep -c Z; exit 7', undefined, { init: true });
  const [pid, zombies] = out.trim().split('\n');
  assert.notEqual(pid, '1');
  assert.equal(zombies, '0');
  assert.equal(exitCode, 7);
});

test('no host file descriptor reaches the container', { skip }, async () => {
  // ls opens the directory it lists as fd 3; anything else would be a leak.
  const { out } = await run('fds', 'ls /proc/self/fd | tr "\\n" " "');
  assert.equal(out.trim(), '0 1 2 3');
});

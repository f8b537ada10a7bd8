// docker run's filesystem, security and resource flags against berthd, checked from inside the
// container: --read-only, --tmpfs, -v binds (rw and :ro), capabilities, no-new-privileges,
// --privileged, --memory, --pids-limit, --ulimit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from './support/docker-cli.ts';
import { useBerthd, noDocker, ok } from './support/container-fixture.ts';

const berthd = useBerthd();
const skip = noDocker;

/** Capability bit numbers (linux/capability.h). */
const CAP = { CHOWN: 0, DAC_OVERRIDE: 1, FOWNER: 3, FSETID: 4, KILL: 5, SETGID: 6, SETUID: 7, SETPCAP: 8, NET_BIND_SERVICE: 10, NET_RAW: 13, SYS_CHROOT: 18, SYS_ADMIN: 21, MKNOD: 27, AUDIT_WRITE: 29, SETFCAP: 31 };
const DOCKER_DEFAULT = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'] as const;
const mask = (caps: readonly (keyof typeof CAP)[]) => caps.reduce((m, c) => m | (1n << BigInt(CAP[c])), 0n);
const capLine = (status: string, field: string) => BigInt(`0x${new RegExp(`^${field}:\\s+([0-9a-f]+)$`, 'm').exec(status)![1]}`);

test('--read-only: the root is read-only, --tmpfs and /tmp-less writes fail', { skip }, async () => {
  const d = berthd();
  const ro = await docker(['run', '--rm', '--read-only', 'busybox', 'touch', '/x'], d.dockerEnv);
  assert.equal(ro.code, 1);
  assert.match(ro.stderr, /Read-only file system/);
  assert.equal(await ok(d, ['run', '--rm', '--read-only', '--tmpfs', '/x', 'busybox', 'sh', '-c', 'echo hi > /x/f && cat /x/f']), 'hi');
  assert.equal(await ok(d, ['run', '--rm', 'busybox', 'sh', '-c', 'touch /x && echo rw']), 'rw');
});

test('--tmpfs /x is a tmpfs with Docker\'s options (noexec, nosuid, nodev)', { skip }, async () => {
  const line = await ok(berthd(), ['run', '--rm', '--tmpfs', '/x', 'busybox', 'sh', '-c', 'grep " /x " /proc/mounts']);
  const [src, dest, type, opts] = line.split(' ');
  assert.equal(src, 'tmpfs');
  assert.equal(dest, '/x');
  assert.equal(type, 'tmpfs');
  for (const o of ['rw', 'nosuid', 'nodev', 'noexec']) assert.ok(opts.split(',').includes(o), opts);
});

test('-v hostdir:/data reads and writes the host directory; :ro refuses writes', { skip }, async () => {
  const d = berthd();
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-bind-'));
  try {
    writeFileSync(join(dir, 'in'), 'from host\n');
    chmodSync(dir, 0o755);
    assert.equal(await ok(d, ['run', '--rm', '-v', `${dir}:/data`, 'busybox', 'sh', '-c', 'cat /data/in; echo from container > /data/out']), 'from host');
    assert.equal(readFileSync(join(dir, 'out'), 'utf8'), 'from container\n');
    const ro = await docker(['run', '--rm', '-v', `${dir}:/data:ro`, 'busybox', 'sh', '-c', 'cat /data/in; echo x > /data/nope'], d.dockerEnv);
    assert.equal(ro.code, 1);
    assert.equal(ro.stdout, 'from host\n');
    assert.match(ro.stderr, /Read-only file system/);
    const mounts = await ok(d, ['inspect', '--format', '{{json .HostConfig.Binds}}', await ok(d, ['create', '-v', `${dir}:/data:ro`, 'busybox'])]);
    assert.deepEqual(JSON.parse(mounts), [`${dir}:/data:ro`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('capabilities: Docker\'s default set, --cap-drop ALL --cap-add CHOWN, --privileged', { skip }, async () => {
  const d = berthd();
  const def = await ok(d, ['run', '--rm', 'busybox', 'cat', '/proc/self/status']);
  assert.equal(capLine(def, 'CapEff'), mask(DOCKER_DEFAULT));
  assert.equal(capLine(def, 'CapBnd'), mask(DOCKER_DEFAULT));
  const only = await ok(d, ['run', '--rm', '--cap-drop', 'ALL', '--cap-add', 'CHOWN', 'busybox', 'cat', '/proc/self/status']);
  assert.equal(capLine(only, 'CapEff'), 1n);
  assert.equal(capLine(only, 'CapBnd'), 1n);
  const noChown = await docker(['run', '--rm', '--cap-drop', 'CHOWN', 'busybox', 'chown', '1000', '/tmp'], d.dockerEnv);
  assert.equal(noChown.code, 1);
  assert.match(noChown.stderr, /Operation not permitted/);
  const priv = await ok(d, ['run', '--rm', '--privileged', 'busybox', 'cat', '/proc/self/status']);
  const hostBnd = capLine(readFileSync('/proc/self/status', 'utf8'), 'CapBnd');
  assert.equal(capLine(priv, 'CapEff'), hostBnd, 'privileged gets every capability the daemon has');
  assert.ok(capLine(priv, 'CapEff') & (1n << BigInt(CAP.SYS_ADMIN)));
  const user = await ok(d, ['run', '--rm', '-u', '1000', 'busybox', 'cat', '/proc/self/status']);
  assert.equal(capLine(user, 'CapEff'), 0n, 'a non-root user has no effective capabilities');
});

test('--privileged: a writable /sys; read-only without it', { skip }, async () => {
  const d = berthd();
  assert.equal(await ok(d, ['run', '--rm', '--privileged', 'busybox', 'sh', '-c', 'grep -q " /sys sysfs rw" /proc/mounts && echo rw']), 'rw');
  assert.equal(await ok(d, ['run', '--rm', 'busybox', 'sh', '-c', 'grep " /sys " /proc/mounts | cut -d" " -f4 | cut -d, -f1']), 'ro');
});

test('--privileged: the host\'s devices in /dev', { skip }, async () => {
  const dev = await ok(berthd(), ['run', '--rm', '--privileged', 'busybox', 'ls', '/dev']);
  assert.ok(dev.split('\n').length > 20, dev);
});

test('--security-opt no-new-privileges sets NoNewPrivs', { skip }, async () => {
  const d = berthd();
  assert.match(await ok(d, ['run', '--rm', '--security-opt', 'no-new-privileges', 'busybox', 'grep', 'NoNewPrivs', '/proc/self/status']), /NoNewPrivs:\s+1/);
  assert.match(await ok(d, ['run', '--rm', '--security-opt', 'no-new-privileges=true', 'busybox', 'grep', 'NoNewPrivs', '/proc/self/status']), /NoNewPrivs:\s+1/);
  assert.match(await ok(d, ['run', '--rm', 'busybox', 'grep', 'NoNewPrivs', '/proc/self/status']), /NoNewPrivs:\s+0/);
});

test('seccomp: Docker\'s default profile is on (Seccomp: 2)', { skip }, async () => {
  const d = berthd();
  assert.match(await ok(d, ['run', '--rm', 'busybox', 'grep', '^Seccomp:', '/proc/self/status']), /Seccomp:\s+2/);
  assert.match(await ok(d, ['run', '--rm', '--security-opt', 'seccomp=unconfined', 'busybox', 'grep', '^Seccomp:', '/proc/self/status']), /Seccomp:\s+0/);
});

const CGROUP_FILE = (v1: string, v2: string) => `cat /sys/fs/cgroup/${v1} 2>/dev/null || cat /sys/fs/cgroup/${v2}`;

test('--memory 32m: the memory cgroup limit, and inspect shows it', { skip }, async () => {
  const d = berthd();
  assert.equal(await ok(d, ['run', '--rm', '--memory', '32m', 'busybox', 'sh', '-c', CGROUP_FILE('memory/memory.limit_in_bytes', 'memory.max')]), String(32 * 1024 * 1024));
  const id = await ok(d, ['create', '--memory', '32m', 'busybox']);
  assert.equal(await ok(d, ['inspect', '--format', '{{.HostConfig.Memory}}', id]), String(32 * 1024 * 1024));
});

test('--memory: a process that outgrows it is OOM-killed (exit 137, OOMKilled)', { skip }, async () => {
  const d = berthd();
  const r = await docker(['run', '--name', 'oom', '--memory', '16m', '--memory-swap', '16m', 'busybox', 'sh', '-c', 'x=a; while true; do x=$x$x; done'], d.dockerEnv, { timeoutMs: 30_000 });
  assert.equal(r.code, 137, r.stderr);
  assert.equal(await ok(d, ['inspect', '--format', '{{.State.OOMKilled}} {{.State.ExitCode}}', 'oom']), 'true 137');
});

test('--pids-limit: the pids cgroup limit stops forks past it', { skip }, async () => {
  const d = berthd();
  assert.equal(await ok(d, ['run', '--rm', '--pids-limit', '42', 'busybox', 'sh', '-c', CGROUP_FILE('pids/pids.max', 'pids.max')]), '42');
  const r = await docker(['run', '--rm', '--pids-limit', '5', 'busybox', 'sh', '-c', 'for i in 1 2 3 4 5 6 7 8; do sleep 5 & done; wait'], d.dockerEnv);
  assert.match(r.stderr, /can't fork|Resource temporarily unavailable/);
});

test('--ulimit nofile=512:1024 sets the soft and hard limits', { skip }, async () => {
  const d = berthd();
  assert.equal(await ok(d, ['run', '--rm', '--ulimit', 'nofile=512:1024', 'busybox', 'sh', '-c', 'ulimit -n; ulimit -Hn']), '512\n1024');
  assert.match(await ok(d, ['run', '--rm', '--ulimit', 'nproc=77', 'busybox', 'grep', 'Max processes', '/proc/self/limits']), /Max processes\s+77\s+77\s+processes/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSpec, type SpecInput } from './oci-spec.ts';
import { applyCreateDefaults } from './spec/create-defaults.ts';
import { mergeImageConfig } from './spec/command.ts';
import { DOCKER_DEFAULT_CAPS, CAPABILITIES } from '../runtime/caps/index.ts';
import type { ContainerConfig, HostConfig, ImageConfig } from './docker-types.ts';

const ID = '0123456789ab' + 'c'.repeat(52);
const BUSYBOX: ImageConfig = { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] };
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n';
const GROUP = 'root:x:0:\ndaemon:x:1:\nwheel:x:10:root\nwww-data:x:33:\nvideo:x:44:www-data,daemon\nnogroup:x:65534:\n';

function input(config: ContainerConfig, host: HostConfig = {}, cgroupVersion: 1 | 2 = 2): SpecInput {
  const merged = mergeImageConfig(config, BUSYBOX);
  const d = applyCreateDefaults(ID, merged, host, { cgroupVersion, hostHostname: 'host1' });
  return {
    id: ID, config: d.config, hostConfig: d.hostConfig, rootfs: 'rootfs', passwd: PASSWD, group: GROUP,
    facts: { cgroupVersion, arch: 'x86_64', kernel: '6.1.0', ncpu: 4, sysctls: { pingGroupRange: true, unprivilegedPortStart: true } },
  };
}

/** What Docker 28 writes for `docker run busybox sh` on a cgroup v2 host, volatile parts (root path, cgroupsPath, resolv/hosts binds, hooks, apparmor, netns path) left out. */
const DOCKER_DEFAULT = {
  ociVersion: '1.2.0',
  process: {
    terminal: false,
    user: { uid: 0, gid: 0, additionalGids: [0, 10] },
    args: ['sh'],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=0123456789ab'],
    cwd: '/',
    capabilities: { bounding: DOCKER_DEFAULT_CAPS, effective: DOCKER_DEFAULT_CAPS, permitted: DOCKER_DEFAULT_CAPS },
    noNewPrivileges: false,
    oomScoreAdj: 0,
  },
  root: { path: 'rootfs', readonly: false },
  hostname: '0123456789ab',
  mounts: [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=67108864'] },
  ],
  linux: {
    namespaces: [{ type: 'mount' }, { type: 'network' }, { type: 'uts' }, { type: 'pid' }, { type: 'ipc' }, { type: 'cgroup' }],
    devices: [],
    resources: {
      devices: [
        { allow: false, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 9, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 8, access: 'rwm' },
        { allow: true, type: 'c', major: 5, minor: 0, access: 'rwm' },
        { allow: true, type: 'c', major: 5, minor: 1, access: 'rwm' },
        { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' },
      ],
    },
    sysctl: { 'net.ipv4.ping_group_range': '0 2147483647', 'net.ipv4.ip_unprivileged_port_start': '0' },
    maskedPaths: ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'],
    readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
  },
};

test('golden: docker run busybox sh (cgroup v2)', () => {
  const b = buildSpec(input({ Image: 'busybox' }));
  const { seccomp, ...linux } = b.spec.linux!;
  assert.deepEqual(JSON.parse(JSON.stringify({ ...b.spec, linux })), DOCKER_DEFAULT);
  assert.equal(seccomp?.defaultAction, 'SCMP_ACT_ERRNO');
  assert.deepEqual(seccomp?.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  const names = new Set(seccomp!.syscalls!.flatMap((s) => s.names));
  assert.ok(names.has('read') && names.has('clone'));
  assert.ok(!seccomp!.syscalls!.some((s) => s.action === 'SCMP_ACT_ALLOW' && s.names.includes('mount')), 'mount needs CAP_SYS_ADMIN');
  assert.equal(b.init, false);
  assert.equal(b.stopSignal, 'SIGTERM');
});

test('cgroup v1: host cgroup namespace by default', () => {
  const b = buildSpec(input({}, {}, 1));
  assert.deepEqual(b.spec.linux!.namespaces!.map((n) => n.type), ['mount', 'network', 'uts', 'pid', 'ipc']);
  const p = buildSpec(input({}, { CgroupnsMode: 'private' }, 1));
  assert.ok(p.spec.linux!.namespaces!.some((n) => n.type === 'cgroup'));
});

test('privileged: all caps, no masks, all devices, unconfined seccomp, rw /sys and cgroup', () => {
  const i = input({ Cmd: ['true'] }, { Privileged: true });
  i.facts.hostDevices = [{ type: 'c', path: '/dev/kvm', major: 10, minor: 232, fileMode: 0o660, uid: 0, gid: 0 }];
  const s = buildSpec(i).spec;
  assert.deepEqual(s.process!.capabilities!.bounding, CAPABILITIES);
  assert.deepEqual(s.linux!.maskedPaths, []);
  assert.deepEqual(s.linux!.readonlyPaths, []);
  assert.equal(s.linux!.seccomp, undefined);
  assert.deepEqual(s.linux!.resources!.devices, [{ allow: true, access: 'rwm' }]);
  assert.equal(s.linux!.devices!.length, 1);
  assert.deepEqual(s.mounts!.find((m) => m.destination === '/sys')!.options, ['nosuid', 'noexec', 'nodev']);
  assert.deepEqual(s.mounts!.find((m) => m.destination === '/sys/fs/cgroup')!.options, ['nosuid', 'noexec', 'nodev']);
});

test('caps, seccomp and no-new-privileges from flags', () => {
  const s = buildSpec(input({}, { CapAdd: ['SYS_ADMIN'], CapDrop: ['NET_RAW', 'MKNOD'], SecurityOpt: ['no-new-privileges'] })).spec;
  const caps = s.process!.capabilities!.bounding!;
  assert.ok(caps.includes('CAP_SYS_ADMIN') && !caps.includes('CAP_NET_RAW') && !caps.includes('CAP_MKNOD'));
  assert.equal(s.process!.noNewPrivileges, true);
  assert.ok(s.linux!.seccomp!.syscalls!.some((c) => c.names.includes('mount') && c.action === 'SCMP_ACT_ALLOW'), 'CAP_SYS_ADMIN allows mount');
  assert.equal(buildSpec(input({}, { SecurityOpt: ['seccomp=unconfined'] })).spec.linux!.seccomp, undefined);
  const custom = JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['chmod'], action: 'SCMP_ACT_ERRNO' }] });
  assert.deepEqual(buildSpec(input({}, { SecurityOpt: [`seccomp=${custom}`] })).spec.linux!.seccomp, { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['chmod'], action: 'SCMP_ACT_ERRNO' }] });
  assert.throws(() => buildSpec(input({}, { SecurityOpt: ['seccomp={bad'] })), { code: 'InvalidArgument' });
  assert.throws(() => buildSpec(input({}, { SecurityOpt: ['bogus=1'] })), { code: 'InvalidArgument', message: 'invalid --security-opt 2: "bogus=1"' });
  assert.deepEqual(buildSpec(input({}, { SecurityOpt: ['systempaths=unconfined'] })).spec.linux!.maskedPaths, []);
});

test('env, tty, user, workdir, entrypoint', () => {
  const s = buildSpec(input({ Tty: true, Env: ['A=1', 'PATH=/x'], User: 'www-data', WorkingDir: '/srv', Entrypoint: ['/bin/echo'], Cmd: ['hi'] }, { GroupAdd: ['wheel', '2000'] })).spec;
  assert.deepEqual(s.process!.env, ['PATH=/x', 'HOSTNAME=0123456789ab', 'TERM=xterm', 'A=1']);
  assert.equal(s.process!.terminal, true);
  assert.deepEqual(s.process!.user, { uid: 33, gid: 33, additionalGids: [33, 44, 10, 2000] });
  assert.equal(s.process!.cwd, '/srv');
  assert.deepEqual(s.process!.args, ['/bin/echo', 'hi']);
  assert.deepEqual(buildSpec(input({ User: '1000:daemon' })).spec.process!.user, { uid: 1000, gid: 1, additionalGids: [1] });
  assert.throws(() => buildSpec(input({ User: 'ghost' })), { message: 'unable to find user ghost: no matching entries in passwd file' });
});

test('init, hostname modes, readonly rootfs', () => {
  assert.equal(buildSpec(input({}, { Init: true })).init, true);
  assert.equal(buildSpec(input({}, { Init: true, PidMode: 'host' })).init, false);
  const host = buildSpec(input({}, { NetworkMode: 'host', UTSMode: 'host', IpcMode: 'host', PidMode: 'host' })).spec;
  assert.deepEqual(host.linux!.namespaces!.map((n) => n.type), ['mount', 'cgroup']);
  assert.equal(host.hostname, undefined);
  assert.deepEqual(host.linux!.sysctl, {});
  assert.deepEqual(host.mounts!.find((m) => m.destination === '/dev/shm'), { destination: '/dev/shm', type: 'bind', source: '/dev/shm', options: ['rbind', 'rprivate'] });
  const joined = input({}, { NetworkMode: 'container:web', PidMode: 'container:web' });
  joined.facts.containerPid = () => 4242;
  const ns = buildSpec(joined).spec.linux!.namespaces!;
  assert.deepEqual(ns.find((n) => n.type === 'network'), { type: 'network', path: '/proc/4242/ns/net' });
  assert.deepEqual(ns.find((n) => n.type === 'pid'), { type: 'pid', path: '/proc/4242/ns/pid' });
  const ro = buildSpec(input({}, { ReadonlyRootfs: true, Tmpfs: { '/run': 'size=1m,exec' } })).spec;
  assert.equal(ro.root!.readonly, true);
  assert.deepEqual(ro.mounts!.find((m) => m.destination === '/dev/mqueue')!.options, ['nosuid', 'noexec', 'nodev']);
  assert.deepEqual(ro.mounts!.find((m) => m.destination === '/run'), { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'rprivate', 'size=1m', 'exec'] });
  assert.throws(() => buildSpec(input({}, { IpcMode: 'bogus' })), { message: 'invalid IPC mode: bogus' });
});

test('binds, --mount, duplicates, volumes not implemented', () => {
  const s = buildSpec(input({}, {
    Binds: ['/data:/data', '/etc/x:/x:ro,rslave'],
    Mounts: [{ Type: 'tmpfs', Target: '/cache', TmpfsOptions: { SizeBytes: 64 * 1024 * 1024, Mode: 0o1777 } }, { Type: 'bind', Source: '/a', Target: '/data/a', ReadOnly: true }],
  })).spec;
  const user = s.mounts!.slice(7);
  assert.deepEqual(user, [
    { destination: '/data', type: 'bind', source: '/data', options: ['rbind', 'rprivate'] },
    { destination: '/x', type: 'bind', source: '/etc/x', options: ['rbind', 'ro', 'rslave'] },
    { destination: '/cache', type: 'tmpfs', source: 'tmpfs', options: ['noexec', 'nosuid', 'nodev', 'rprivate', 'size=64m', 'mode=1777'] },
    { destination: '/data/a', type: 'bind', source: '/a', options: ['rbind', 'ro', 'rprivate'] },
  ]);
  assert.equal(s.linux!.rootfsPropagation, 'rslave');
  assert.throws(() => buildSpec(input({}, { Binds: ['/a:/d', '/b:/d'] })), { message: 'Duplicate mount point: /d' });
  assert.throws(() => buildSpec(input({}, { Binds: ['vol:/d'] })), { code: 'NotImplemented' });
  assert.throws(() => buildSpec(input({}, { Binds: ['/a:rel'] })), { code: 'InvalidArgument' });
  assert.throws(() => buildSpec(input({}, { Binds: ['/a:/b:bogus'] })), { message: 'invalid mode: bogus' });
  const dev = buildSpec(input({}, { Binds: ['/host/dev:/dev'] })).spec;
  assert.ok(!dev.mounts!.some((m) => m.destination.startsWith('/dev/')));
  assert.ok(!buildSpec(input({}, { IpcMode: 'none' })).spec.mounts!.some((m) => m.destination === '/dev/shm'));
});

test('resources, ulimits, sysctls, oom score, shm size, annotations, cgroup parent', () => {
  const i = input({ StopSignal: 'SIGQUIT' }, {
    Memory: 64 << 20, MemoryReservation: 32 << 20, NanoCpus: 1_500_000_000, CpuShares: 512, CpusetCpus: '0-1', CpusetMems: '0',
    PidsLimit: 100, BlkioWeight: 300, OomKillDisable: true, OomScoreAdj: 500, ShmSize: 128 << 20,
    Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }], Sysctls: { 'net.core.somaxconn': '1024' }, Annotations: { a: 'b' },
  });
  i.facts.cgroupParent = '/berth';
  const b = buildSpec(i);
  const r = b.spec.linux!.resources!;
  assert.deepEqual(r.memory, { limit: 64 << 20, reservation: 32 << 20, swap: 128 << 20, disableOOMKiller: true });
  assert.deepEqual(r.cpu, { shares: 512, cpus: '0-1', mems: '0', period: 100000, quota: 150000 });
  assert.deepEqual(r.pids, { limit: 100 });
  assert.deepEqual(r.blockIO, { weight: 300 });
  assert.deepEqual(b.spec.process!.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 2048 }]);
  assert.equal(b.spec.linux!.sysctl!['net.core.somaxconn'], '1024');
  assert.equal(b.spec.process!.oomScoreAdj, 500);
  assert.ok(b.spec.mounts!.find((m) => m.destination === '/dev/shm')!.options!.includes('size=134217728'));
  assert.deepEqual(b.spec.annotations, { a: 'b' });
  assert.equal(b.spec.linux!.cgroupsPath, `/berth/${ID}`);
  assert.equal(b.stopSignal, 'SIGQUIT');
  assert.deepEqual(buildSpec(input({}, { CpuQuota: 50000, CpuPeriod: 100000, PidsLimit: 0 })).spec.linux!.resources!.cpu, { period: 100000, quota: 50000 });
  assert.deepEqual(buildSpec(input({}, { PidsLimit: 0 })).spec.linux!.resources!.pids, { limit: -1 });
  assert.throws(() => buildSpec(input({}, { Memory: 1024 })), { message: 'Minimum memory limit allowed is 6MB' });
  assert.throws(() => buildSpec(input({}, { NanoCpus: 1e9, CpuQuota: 5000 })), { message: 'Conflicting options: Nano CPUs and CPU Quota cannot both be set' });
  assert.throws(() => buildSpec(input({}, { NanoCpus: 8e9 })), { message: 'Range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available' });
  assert.throws(() => buildSpec(input({}, { NetworkMode: 'host', Sysctls: { 'net.core.somaxconn': '1' } })), { code: 'InvalidArgument' });
});

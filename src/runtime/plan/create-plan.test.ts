import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planCreate } from './create-plan.ts';
import { defaultSpec } from '../spec/default-spec.ts';
import type { PlanFacts } from './facts.ts';
import type { Spec } from '../spec/types.ts';
import { CLONE, MS } from './linux-flags.ts';

const facts: PlanFacts = {
  rootfs: '/b/rootfs', sourceKinds: { '/host/file': 'file', '/host/dir': 'dir' },
  cgroupDirs: [{ name: 'memory', hostDir: '/sys/fs/cgroup/memory/x' }, { name: 'pids', hostDir: '/sys/fs/cgroup/pids/x' }],
  arch: 'x86_64', hardLimits: { RLIMIT_NOFILE: 20000 }, canRaiseLimits: false, hostHasKcore: true,
};
const opts = { exitFile: '/s/exit.json', gateFifo: '/s/exec.fifo', init: false };
const spec = (): Spec => JSON.parse(JSON.stringify(defaultSpec({ args: ['echo', 'hi'], terminal: false })));
const names = (ops: { op: string }[]) => ops.map((o) => o.op);

test('clone creates every new namespace but cgroup, which is unshared after the cgroup join', () => {
  const { ops } = planCreate(spec(), facts, opts);
  const clone = ops.find((o) => o.op === 'clone');
  assert.ok(clone && clone.op === 'clone');
  assert.equal(clone.flags, BigInt(CLONE.NEWPID | CLONE.NEWNET | CLONE.NEWIPC | CLONE.NEWUTS | CLONE.NEWNS));
  const n = names(ops);
  assert.ok(n.indexOf('sync') < n.indexOf('unshare'));
  assert.ok(n.indexOf('unshare') < n.indexOf('setRoot'));
});

test('the order: mounts inside the root, pivot, masks, read-only root, identity, exec last', () => {
  const { ops } = planCreate(spec(), facts, opts);
  const n = names(ops);
  const pivot = n.indexOf('pivotRoot');
  assert.ok(n.indexOf('setRoot') < pivot);
  assert.ok(ops.slice(n.indexOf('setRoot'), pivot).filter((o) => o.op === 'mount').every((o) => o.op === 'mount' && o.targetInRoot === 1));
  assert.ok(n.indexOf('mask') > pivot && n.indexOf('readonly') > pivot);
  const roRoot = ops.findIndex((o) => o.op === 'mount' && o.target === '/' && (Number(o.flags) & MS.RDONLY) !== 0);
  assert.ok(roRoot > n.lastIndexOf('readonly'));
  assert.ok(n.indexOf('sethostname') > pivot);
  assert.ok(n.indexOf('user') < n.indexOf('caps') && n.indexOf('caps') < n.indexOf('noNewPrivs'));
  assert.equal(n.at(-1), 'exec');
  const exec = ops.at(-1)!;
  assert.ok(exec.op === 'exec' && exec.gate === 1 && exec.argv[0] === 'echo');
});

test('seccomp goes last with no_new_privs and before dropping privileges without it', () => {
  const s = spec();
  s.linux!.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mount'], action: 'SCMP_ACT_ERRNO' }] };
  let n = names(planCreate(s, facts, opts).ops);
  assert.equal(n.indexOf('seccomp'), n.length - 2);
  s.process!.noNewPrivileges = false;
  n = names(planCreate(s, facts, opts).ops);
  assert.ok(n.indexOf('seccomp') < n.indexOf('user'));
});

test('a cgroup mount binds the container cgroup dirs under a tmpfs', () => {
  const { ops } = planCreate(spec(), facts, opts);
  const binds = ops.filter((o) => o.op === 'mount' && o.source.startsWith('/sys/fs/cgroup/'));
  assert.deepEqual(binds.map((o) => o.op === 'mount' && o.target), ['/sys/fs/cgroup/memory', '/sys/fs/cgroup/pids']);
});

test('bind mounts: a file source gets a file target; ro is applied by a remount', () => {
  const s = spec();
  s.mounts!.push({ destination: '/etc/x.conf', type: 'bind', source: '/host/file', options: ['rbind', 'ro'] });
  const { ops } = planCreate(s, facts, opts);
  const i = ops.findIndex((o) => o.op === 'mkfile' && o.path === '/etc/x.conf');
  assert.ok(i > 0);
  const [bind, remount] = ops.slice(i + 1, i + 3);
  assert.ok(bind.op === 'mount' && bind.flags === BigInt(MS.BIND | MS.REC));
  assert.ok(remount.op === 'mount' && remount.flags === BigInt(MS.BIND | MS.REMOUNT | MS.RDONLY));
});

test('a missing bind source is refused before anything runs', () => {
  const s = spec();
  s.mounts!.push({ destination: '/data', type: 'bind', source: '/nope', options: ['rbind'] });
  assert.throws(() => planCreate(s, facts, opts), /bind source \/nope does not exist/);
});

test('user namespace: maps for the sync, root inside, devices bound rather than made', () => {
  const s = spec();
  s.linux!.namespaces!.push({ type: 'user' });
  s.linux!.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
  s.linux!.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
  const plan = planCreate(s, facts, opts);
  assert.equal(plan.setup.uidMap, '0 100000 65536\n');
  assert.ok(!plan.ops.some((o) => o.op === 'mknod'));
  assert.ok(plan.ops.some((o) => o.op === 'mount' && o.source === '/dev/null' && o.target === '/dev/null'));
  const clone = plan.ops.find((o) => o.op === 'clone');
  assert.ok(clone?.op === 'clone' && (clone.flags & BigInt(CLONE.NEWUSER)) !== 0n);
});

test('joined namespaces: pid before the clone, user first after it', () => {
  const s = spec();
  s.linux!.namespaces = [{ type: 'mount' }, { type: 'network', path: '/proc/1/ns/net' }, { type: 'pid', path: '/proc/1/ns/pid' }, { type: 'user', path: '/proc/1/ns/user' }, { type: 'uts' }];
  const n = planCreate(s, facts, opts).ops;
  assert.deepEqual(n.slice(0, 4).map((o) => (o.op === 'setns' ? `setns:${o.path}` : o.op)),
    ['setns:/proc/1/ns/pid', 'clone', 'setns:/proc/1/ns/user', 'setns:/proc/1/ns/net']);
});

test('rlimits above the host hard limit are clamped with a warning when they cannot be raised', () => {
  const s = spec();
  s.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 }];
  const plan = planCreate(s, facts, opts);
  const r = plan.ops.find((o) => o.op === 'rlimit');
  assert.ok(r?.op === 'rlimit' && r.hard === 20000n && r.soft === 20000n);
  assert.match(plan.warnings[0], /lowered/);
});

test('sysctls are written under /proc/sys after pivot_root and before /proc/sys turns read-only', () => {
  const s = spec();
  s.linux!.sysctl = { 'net.ipv4.ip_forward': '1' };
  const { ops } = planCreate(s, facts, opts);
  const w = ops.findIndex((o) => o.op === 'writeFile' && o.path === '/proc/sys/net/ipv4/ip_forward');
  assert.ok(w > ops.findIndex((o) => o.op === 'pivotRoot'));
  assert.ok(w < ops.findIndex((o) => o.op === 'readonly' && o.path === '/proc/sys'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSeccomp, dockerDefaultProfile, resolveDockerProfile } from './index.ts';
import type { DockerSeccompProfile, SeccompProfile } from './index.ts';
import { runFilter, verify } from './bpf-run.ts';
import { decode } from './bpf.ts';
import { AUDIT_ARCH, SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_KILL_THREAD } from './actions.ts';
import { SYSCALLS } from './syscalls.gen.ts';
import { DOCKER_DEFAULT_CAPS } from '../caps/docker-caps.ts';
import { BerthError } from '../../errors/errors.ts';

const X86_64 = AUDIT_ARCH.x86_64;
const EPERM = SECCOMP_RET_ERRNO | 1, ENOSYS = SECCOMP_RET_ERRNO | 38;
const CLONE_NEWNS = 0x20000, CLONE_NEWUSER = 0x10000000, CLONE_VM = 0x100, CLONE_THREAD = 0x10000, SIGCHLD = 17;

function dockerFilter(caps: readonly string[], arch: 'x86_64' | 'aarch64' = 'x86_64', kernel?: string) {
  return compileSeccomp(resolveDockerProfile(dockerDefaultProfile(), { caps: [...caps], arch, kernel }), arch);
}

test('the default profile is the raw Docker JSON, conditions included', () => {
  const p = dockerDefaultProfile();
  assert.equal(p.defaultAction, 'SCMP_ACT_ERRNO');
  assert.ok(p.archMap && p.archMap.length > 0);
  assert.ok(p.syscalls!.some((s) => s.includes?.caps?.includes('CAP_SYS_ADMIN')));
  p.syscalls!.length = 0; // a copy each time
  assert.ok(dockerDefaultProfile().syscalls!.length > 20);
});

test('resolution: archMap, arches, caps and minKernel as moby setupSeccomp', () => {
  const r = resolveDockerProfile(dockerDefaultProfile(), { caps: [...DOCKER_DEFAULT_CAPS], arch: 'x86_64' });
  assert.deepEqual(r.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  const names = r.syscalls!.flatMap((s) => s.names);
  assert.ok(names.includes('arch_prctl') && names.includes('modify_ldt') && names.includes('chroot'));
  assert.ok(!names.includes('breakpoint') && !names.includes('s390_runtime_instr') && !names.includes('mount'));
  assert.ok(names.includes('ptrace'));
  assert.ok(r.syscalls!.every((s) => !('includes' in s) && !('excludes' in s) && !('comment' in s)));
  const old = resolveDockerProfile(dockerDefaultProfile(), { caps: [], arch: 'x86_64', kernel: '4.4.0-210-generic' });
  assert.ok(!old.syscalls!.flatMap((s) => s.names).includes('ptrace'));
  const arm = resolveDockerProfile(dockerDefaultProfile(), { caps: ['sys_admin'], arch: 'aarch64', kernel: '6.1.0' });
  assert.deepEqual(arm.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  const armNames = arm.syscalls!.flatMap((s) => s.names);
  assert.ok(armNames.includes('breakpoint') && armNames.includes('mount') && !armNames.includes('arch_prctl'));
});

test('resolution errors: name and names, architectures and archMap', () => {
  const isInvalid = (e: unknown) => e instanceof BerthError && e.code === 'InvalidArgument';
  const both: DockerSeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ name: 'read', names: ['write'], action: 'SCMP_ACT_ALLOW' }] };
  assert.throws(() => resolveDockerProfile(both, { caps: [], arch: 'x86_64' }), isInvalid);
  const arches: DockerSeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', architectures: ['SCMP_ARCH_X86_64'], archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: null }] };
  assert.throws(() => resolveDockerProfile(arches, { caps: [], arch: 'x86_64' }), isInvalid);
  const single = resolveDockerProfile({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ name: 'read', action: 'SCMP_ACT_ALLOW' } as never] }, { caps: [], arch: 'x86_64' });
  assert.deepEqual(single.syscalls, [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }]);
});

test('Docker default on x86_64 with Docker default caps: size, jumps, allowed and denied calls', () => {
  const c = dockerFilter(DOCKER_DEFAULT_CAPS);
  const { maxJump } = verify(decode(c.filter));
  assert.ok(maxJump <= 255);
  assert.ok(c.instructions < 4096 && c.instructions === c.filter.length / 8);
  assert.deepEqual(c.ignoredArchitectures, []);
  const r = (name: string, args: (number | bigint)[] = []) => runFilter(c.filter, { nr: SYSCALLS.x86_64[name], arch: X86_64, args }).action;
  for (const n of ['read', 'write', 'openat', 'execve', 'exit_group', 'chroot', 'arch_prctl', 'fchmodat2', 'pidfd_open']) assert.equal(r(n), SECCOMP_RET_ALLOW, n);
  for (const n of ['mount', 'umount2', 'reboot', 'init_module', 'kexec_load', 'unshare', 'setns', 'bpf', 'add_key', 'open_by_handle_at', 'io_uring_setup']) assert.equal(r(n), EPERM, n);
  assert.equal(r('clone3'), ENOSYS);
  // personality: 0, PER_LINUX32 (8), UNAME26 (0x20000), both, and 0xffffffff (query) only.
  for (const v of [0, 8, 0x20000, 0x20008, 0xffffffff]) assert.equal(r('personality', [v]), SECCOMP_RET_ALLOW, String(v));
  for (const v of [1, 0x0040000, 0x1_00000000n, 0x1_ffffffffn]) assert.equal(r('personality', [v]), EPERM, String(v));
  // clone: no namespace flags without CAP_SYS_ADMIN.
  assert.equal(r('clone', [CLONE_VM | CLONE_THREAD | SIGCHLD]), SECCOMP_RET_ALLOW);
  assert.equal(r('clone', [SIGCHLD | CLONE_NEWNS]), EPERM);
  assert.equal(r('clone', [SIGCHLD | CLONE_NEWUSER]), EPERM);
  // socket: everything but AF_VSOCK (40)
  assert.equal(r('socket', [1]), SECCOMP_RET_ALLOW);
  assert.equal(r('socket', [39]), SECCOMP_RET_ALLOW);
  assert.equal(r('socket', [41]), SECCOMP_RET_ALLOW);
  assert.equal(r('socket', [38]), EPERM);
  assert.equal(r('socket', [40]), EPERM);
  // other arches of the filter
  assert.equal(runFilter(c.filter, { nr: SYSCALLS.x86.getpid, arch: AUDIT_ARCH.x86 }).action, SECCOMP_RET_ALLOW);
  assert.equal(runFilter(c.filter, { nr: SYSCALLS.x86.mount, arch: AUDIT_ARCH.x86 }).action, EPERM);
  assert.equal(runFilter(c.filter, { nr: SYSCALLS.x32.getpid, arch: X86_64 }).action, SECCOMP_RET_ALLOW);
  assert.equal(runFilter(c.filter, { nr: SYSCALLS.x32.mount, arch: X86_64 }).action, EPERM);
  assert.equal(runFilter(c.filter, { nr: 0, arch: AUDIT_ARCH.aarch64 }).action, SECCOMP_RET_KILL_THREAD);
});

test('Docker default with CAP_SYS_ADMIN: clone with any flags, clone3 and mount allowed', () => {
  const c = dockerFilter([...DOCKER_DEFAULT_CAPS, 'CAP_SYS_ADMIN']);
  verify(decode(c.filter));
  const r = (name: string, args: number[] = []) => runFilter(c.filter, { nr: SYSCALLS.x86_64[name], arch: X86_64, args }).action;
  assert.equal(r('clone', [SIGCHLD | CLONE_NEWNS]), SECCOMP_RET_ALLOW);
  assert.equal(r('clone3'), SECCOMP_RET_ALLOW);
  assert.equal(r('mount'), SECCOMP_RET_ALLOW);
  assert.equal(r('setns'), SECCOMP_RET_ALLOW);
  assert.equal(r('reboot'), EPERM);
});

test('Docker default on aarch64 and every resolved syscall agrees with a model', () => {
  for (const [arch, audit] of [['x86_64', X86_64], ['aarch64', AUDIT_ARCH.aarch64]] as const) {
    const p = resolveDockerProfile(dockerDefaultProfile(), { caps: [...DOCKER_DEFAULT_CAPS], arch });
    const c = compileSeccomp(p, arch);
    verify(decode(c.filter));
    const table = SYSCALLS[arch];
    for (const [name, nr] of Object.entries(table)) {
      const want = model(p, name, [0, 0, 0, 0, 0, 0]);
      assert.equal(runFilter(c.filter, { nr, arch: audit }).action, want, `${arch} ${name}`);
    }
  }
});

/** What the profile says for a syscall with these args (first unconditional rule wins, else first matching rule). */
function model(p: SeccompProfile, name: string, args: number[]): number {
  const act = (a: string, e?: number) => a === 'SCMP_ACT_ALLOW' ? SECCOMP_RET_ALLOW : a === 'SCMP_ACT_ERRNO' ? SECCOMP_RET_ERRNO | (e ?? 1) : -1;
  const rules = (p.syscalls ?? []).filter((s) => s.names.includes(name) && act(s.action, s.errnoRet) !== act(p.defaultAction, p.defaultErrnoRet));
  const always = rules.find((s) => !s.args?.length);
  if (always) return act(always.action, always.errnoRet);
  for (const s of rules) {
    const ok = s.args!.every((a) => {
      const v = BigInt(args[a.index]), x = BigInt(a.value);
      switch (a.op) {
        case 'SCMP_CMP_EQ': return v === x;
        case 'SCMP_CMP_LT': return v < x;
        case 'SCMP_CMP_GT': return v > x;
        case 'SCMP_CMP_MASKED_EQ': return (v & x) === BigInt(a.valueTwo ?? 0);
        default: throw new Error(a.op);
      }
    });
    if (ok) return act(s.action, s.errnoRet);
  }
  return act(p.defaultAction, p.defaultErrnoRet);
}

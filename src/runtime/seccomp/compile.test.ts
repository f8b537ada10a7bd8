import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSeccomp } from './index.ts';
import { runFilter, verify } from './bpf-run.ts';
import type { SeccompData } from './bpf-run.ts';
import { decode } from './bpf.ts';
import { AUDIT_ARCH, SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD, SECCOMP_RET_LOG, SECCOMP_RET_TRACE, SECCOMP_RET_TRAP } from './actions.ts';
import { SYSCALLS } from './syscalls.gen.ts';
import { BerthError } from '../../errors/errors.ts';
import type { SeccompProfile } from './types.ts';

const X86_64 = AUDIT_ARCH.x86_64, I386 = AUDIT_ARCH.x86, AARCH64 = AUDIT_ARCH.aarch64;
const nr = (name: string, arch: keyof typeof SYSCALLS = 'x86_64') => SYSCALLS[arch][name];
const errno = (e: number) => SECCOMP_RET_ERRNO | e;

function run(p: SeccompProfile, data: SeccompData, arch: 'x86_64' | 'aarch64' = 'x86_64'): number {
  return runFilter(compileSeccomp(p, arch).filter, data).action;
}

test('allow list with errno default, per syscall', () => {
  const p: SeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read', 'write', 'getpid'], action: 'SCMP_ACT_ALLOW' }] };
  assert.equal(run(p, { nr: nr('read'), arch: X86_64 }), SECCOMP_RET_ALLOW);
  assert.equal(run(p, { nr: nr('getpid'), arch: X86_64 }), SECCOMP_RET_ALLOW);
  assert.equal(run(p, { nr: nr('mkdir'), arch: X86_64 }), errno(1));
  assert.equal(run({ ...p, defaultErrnoRet: 38 }, { nr: nr('mkdir'), arch: X86_64 }), errno(38));
});

test('every action maps to its SECCOMP_RET value', () => {
  const cases: [string, number | undefined, number][] = [
    ['SCMP_ACT_KILL', undefined, SECCOMP_RET_KILL_THREAD], ['SCMP_ACT_KILL_THREAD', undefined, SECCOMP_RET_KILL_THREAD],
    ['SCMP_ACT_KILL_PROCESS', undefined, SECCOMP_RET_KILL_PROCESS], ['SCMP_ACT_TRAP', undefined, SECCOMP_RET_TRAP],
    ['SCMP_ACT_ERRNO', undefined, errno(1)], ['SCMP_ACT_ERRNO', 13, errno(13)], ['SCMP_ACT_TRACE', undefined, SECCOMP_RET_TRACE | 1],
    ['SCMP_ACT_TRACE', 7, SECCOMP_RET_TRACE | 7], ['SCMP_ACT_LOG', undefined, SECCOMP_RET_LOG],
  ];
  for (const [action, errnoRet, want] of cases) {
    const p: SeccompProfile = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action, errnoRet }] };
    assert.equal(run(p, { nr: nr('mkdir'), arch: X86_64 }) >>> 0, want >>> 0, action);
    assert.equal(run(p, { nr: nr('rmdir'), arch: X86_64 }), SECCOMP_RET_ALLOW);
  }
});

test('SCMP_ACT_NOTIFY, unknown actions, ops, flags and arches are InvalidArgument', () => {
  const bad: SeccompProfile[] = [
    { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' }] },
    { defaultAction: 'SCMP_ACT_NOTIFY' },
    { defaultAction: 'SCMP_ACT_NOPE' },
    { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_KILL', args: [{ index: 0, value: 1, op: 'SCMP_CMP_XX' }] }] },
    { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_KILL', args: [{ index: 6, value: 1, op: 'SCMP_CMP_EQ' }] }] },
    { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_KILL', args: [{ index: 0, value: -1, op: 'SCMP_CMP_EQ' }] }] },
    { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_KILL', args: [{ index: 0, value: (1n << 64n), op: 'SCMP_CMP_EQ' }] }] },
    { defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_TSYNC'] },
    { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_VAX'] },
    { defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 70000 },
  ];
  for (const p of bad) {
    assert.throws(() => compileSeccomp(p, 'x86_64'), (e: unknown) => e instanceof BerthError && e.code === 'InvalidArgument', JSON.stringify(p, (_k, v) => typeof v === 'bigint' ? String(v) : v));
  }
});

test('flags map to SECCOMP_FILTER_FLAG bits', () => {
  const c = compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW', 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'] }, 'x86_64');
  assert.equal(c.flags, 2 | 4 | 32);
  assert.equal(compileSeccomp({ defaultAction: 'SCMP_ACT_ALLOW' }, 'x86_64').flags, 0);
});

test('architecture check: unknown arch gets KILL_THREAD; x86 section only when listed', () => {
  const p: SeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['getpid'], action: 'SCMP_ACT_ALLOW' }] };
  assert.equal(run(p, { nr: nr('getpid'), arch: AARCH64 }), SECCOMP_RET_KILL_THREAD);
  assert.equal(run(p, { nr: nr('getpid', 'x86'), arch: I386 }), SECCOMP_RET_KILL_THREAD);
  const withX86 = { ...p, architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'] };
  assert.equal(run(withX86, { nr: nr('getpid', 'x86'), arch: I386 }), SECCOMP_RET_ALLOW);
  assert.equal(run(withX86, { nr: nr('getpid'), arch: I386 }), errno(1)); // 39 is umount on x86
  assert.equal(run(p, { nr: nr('getpid', 'aarch64'), arch: AARCH64 }, 'aarch64'), SECCOMP_RET_ALLOW);
  assert.equal(run(p, { nr: nr('getpid', 'aarch64'), arch: X86_64 }, 'aarch64'), SECCOMP_RET_KILL_THREAD);
  const c = compileSeccomp({ ...p, architectures: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM', 'SCMP_ARCH_X86'] }, 'aarch64');
  assert.deepEqual(c.ignoredArchitectures, ['SCMP_ARCH_ARM', 'SCMP_ARCH_X86']);
});

test('x32: the X32 bit goes to the x32 section when listed, else KILL_THREAD', () => {
  const p: SeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['getpid', 'rt_sigaction'], action: 'SCMP_ACT_ALLOW' }] };
  assert.equal(run(p, { nr: nr('getpid', 'x32'), arch: X86_64 }), SECCOMP_RET_KILL_THREAD);
  assert.equal(run(p, { nr: 0xffffffff, arch: X86_64 }), SECCOMP_RET_KILL_THREAD);
  const x32 = { ...p, architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X32'] };
  assert.equal(run(x32, { nr: nr('getpid', 'x32'), arch: X86_64 }), SECCOMP_RET_ALLOW);
  assert.equal(run(x32, { nr: nr('rt_sigaction', 'x32'), arch: X86_64 }), SECCOMP_RET_ALLOW);
  assert.equal(run(x32, { nr: 0x40000000 + nr('rt_sigaction'), arch: X86_64 }), errno(1)); // the 64-bit number with the x32 bit
  assert.equal(run(x32, { nr: nr('mkdir', 'x32'), arch: X86_64 }), errno(1));
  assert.equal(run(x32, { nr: nr('getpid'), arch: X86_64 }), SECCOMP_RET_ALLOW);
});

const argProfile = (op: string, value: bigint | number | string, valueTwo?: bigint | number): SeccompProfile => ({
  defaultAction: 'SCMP_ACT_ERRNO',
  syscalls: [{ names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 1, value, valueTwo, op }] }],
});

test('64-bit comparisons look at both words', () => {
  const big = (1n << 32n) + 5n; // hi 1, lo 5
  const check = (op: string, value: bigint | string, arg: bigint, want: boolean) => {
    const got = run(argProfile(op, value), { nr: nr('personality'), arch: X86_64, args: [0n, arg] });
    assert.equal(got, want ? SECCOMP_RET_ALLOW : errno(1), `${arg} ${op} ${value}`);
  };
  for (const [arg, cmp] of [[5n, -1], [big, 0], [big + 1n, 1], [big - 1n, -1], [(2n << 32n) + 0n, 1], [1n << 63n, 1]] as [bigint, number][]) {
    check('SCMP_CMP_EQ', big, arg, cmp === 0);
    check('SCMP_CMP_NE', big, arg, cmp !== 0);
    check('SCMP_CMP_LT', big, arg, cmp < 0);
    check('SCMP_CMP_LE', big, arg, cmp <= 0);
    check('SCMP_CMP_GT', big, arg, cmp > 0);
    check('SCMP_CMP_GE', String(big), arg, cmp >= 0);
  }
  check('SCMP_CMP_EQ', '18446744073709551615', (1n << 64n) - 1n, true);
  check('SCMP_CMP_EQ', '18446744073709551615', 0xffffffffn, false);
});

test('MASKED_EQ: value is the mask, valueTwo the datum, on both words', () => {
  const p = argProfile('SCMP_CMP_MASKED_EQ', 0xff000000_0000ff00n, 0x12000000_00003400n);
  const r = (arg: bigint) => run(p, { nr: nr('personality'), arch: X86_64, args: [0n, arg] });
  assert.equal(r(0x12ffffff_ffff34ffn), SECCOMP_RET_ALLOW);
  assert.equal(r(0x12000000_00003400n), SECCOMP_RET_ALLOW);
  assert.equal(r(0x13000000_00003400n), errno(1));
  assert.equal(r(0x12000000_00003500n), errno(1));
});

test('args of one rule are ANDed, rules of one syscall ORed, unconditional rule wins', () => {
  const p: SeccompProfile = {
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [
      { names: ['socket'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }, { index: 1, value: 5, op: 'SCMP_CMP_LT' }] },
      { names: ['socket'], action: 'SCMP_ACT_TRAP', args: [{ index: 2, value: 7, op: 'SCMP_CMP_EQ' }] },
      { names: ['kill'], action: 'SCMP_ACT_TRAP', args: [{ index: 0, value: 7, op: 'SCMP_CMP_EQ' }] },
      { names: ['kill'], action: 'SCMP_ACT_ALLOW' },
    ],
  };
  const s = (a0: number, a1: number, a2: number) => run(p, { nr: nr('socket'), arch: X86_64, args: [a0, a1, a2] });
  assert.equal(s(1, 4, 0), SECCOMP_RET_ALLOW);
  assert.equal(s(1, 5, 0), errno(1));
  assert.equal(s(2, 4, 0), errno(1));
  assert.equal(s(2, 4, 7), SECCOMP_RET_TRAP);
  assert.equal(s(1, 4, 7), SECCOMP_RET_ALLOW);
  assert.equal(run(p, { nr: nr('kill'), arch: X86_64, args: [7] }), SECCOMP_RET_ALLOW);
});

test('x86 (32-bit) compares the low word; values past 32 bits are decided statically', () => {
  const p = { ...argProfile('SCMP_CMP_EQ', 0xffffffff), architectures: ['SCMP_ARCH_X86'] };
  const x86 = (prof: SeccompProfile, arg: number) => run(prof, { nr: nr('personality', 'x86'), arch: I386, args: [0, arg] });
  assert.equal(x86(p, 0xffffffff), SECCOMP_RET_ALLOW);
  assert.equal(x86(p, 0), errno(1));
  const big = (op: string) => ({ ...argProfile(op, 1n << 40n), architectures: ['SCMP_ARCH_X86'] });
  assert.equal(x86(big('SCMP_CMP_EQ'), 0), errno(1));
  assert.equal(x86(big('SCMP_CMP_LT'), 0xffffffff), SECCOMP_RET_ALLOW);
  assert.equal(x86(big('SCMP_CMP_GT'), 0xffffffff), errno(1));
  assert.equal(x86(big('SCMP_CMP_NE'), 0), SECCOMP_RET_ALLOW);
});

test('unknown names are skipped, per architecture', () => {
  const c = compileSeccomp({
    defaultAction: 'SCMP_ACT_ERRNO', architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
    syscalls: [{ names: ['read', 'newfstatat', 'socketcall', 'no_such_call'], action: 'SCMP_ACT_ALLOW' }],
  }, 'x86_64');
  assert.deepEqual(c.skipped, ['no_such_call']);
  assert.deepEqual(c.skippedByArch.x86_64, ['no_such_call', 'socketcall']);
  assert.deepEqual(c.skippedByArch.x86, ['newfstatat', 'no_such_call']);
});

test('long programs: every syscall with its own action and args keeps jumps short', () => {
  const names = Object.keys(SYSCALLS.x86_64);
  const syscalls = names.map((n, i) => i % 3 === 0
    ? { names: [n], action: 'SCMP_ACT_ERRNO', errnoRet: 1 + (i % 5) }
    : i % 3 === 1 ? { names: [n], action: 'SCMP_ACT_ALLOW' }
    : { names: [n], action: 'SCMP_ACT_TRACE', errnoRet: i, args: [{ index: i % 6, value: i, op: 'SCMP_CMP_GE' }] });
  const p: SeccompProfile = { defaultAction: 'SCMP_ACT_KILL_PROCESS', architectures: ['SCMP_ARCH_X32'], syscalls };
  const c = compileSeccomp(p, 'x86_64');
  const { maxJump } = verify(decode(c.filter));
  assert.ok(maxJump <= 255 && c.instructions <= 4096, `${c.instructions} instructions`);
  names.forEach((n, i) => {
    const want = i % 3 === 0 ? errno(1 + (i % 5)) : i % 3 === 1 ? SECCOMP_RET_ALLOW : (SECCOMP_RET_TRACE | i);
    const args = [0, 0, 0, 0, 0, 0]; args[i % 6] = i;
    assert.equal(runFilter(c.filter, { nr: nr(n), arch: X86_64, args }).action >>> 0, want >>> 0, n);
  });
  // One long run of allowed syscalls, far more than 255 jeq: chunked.
  const all = compileSeccomp({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: names.filter((_, i) => i % 2 === 0), action: 'SCMP_ACT_ALLOW' }] }, 'x86_64');
  verify(decode(all.filter));
  names.forEach((n, i) => assert.equal(runFilter(all.filter, { nr: nr(n), arch: X86_64 }).action, i % 2 === 0 ? SECCOMP_RET_ALLOW : errno(1), n));
});

test('too many instructions is InvalidArgument', () => {
  const syscalls = Object.keys(SYSCALLS.x86_64).flatMap((n) => [1, 2, 3].map((v) => ({
    names: [n], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: v, op: 'SCMP_CMP_LE' }, { index: 1, value: v, op: 'SCMP_CMP_GT' }],
  })));
  assert.throws(() => compileSeccomp({ defaultAction: 'SCMP_ACT_ERRNO', syscalls }, 'x86_64'), /more than the kernel's 4096/);
});

test('random profiles agree with a direct reading of the rules (x86_64, x32, x86)', () => {
  let seed = 12345;
  const rnd = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
  const values = [0n, 1n, 7n, 0xffffffffn, 1n << 32n, (1n << 32n) + 7n, (1n << 64n) - 1n, 0x8000000000000000n];
  const ops = ['SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ', 'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ'];
  const actions: [string, number | undefined][] = [['SCMP_ACT_ALLOW', undefined], ['SCMP_ACT_ERRNO', 5], ['SCMP_ACT_TRAP', undefined], ['SCMP_ACT_LOG', undefined]];
  const pool = ['read', 'write', 'close', 'getpid', 'kill', 'socket', 'personality', 'mkdirat'];
  const holds = (op: string, v: bigint, x: bigint, y: bigint) => op === 'SCMP_CMP_NE' ? v !== x : op === 'SCMP_CMP_LT' ? v < x : op === 'SCMP_CMP_LE' ? v <= x
    : op === 'SCMP_CMP_EQ' ? v === x : op === 'SCMP_CMP_GE' ? v >= x : op === 'SCMP_CMP_GT' ? v > x : (v & x) === y;
  for (let round = 0; round < 200; round++) {
    const syscalls = Array.from({ length: 1 + rnd(10) }, () => {
      const [action, errnoRet] = actions[rnd(actions.length)];
      const args = Array.from({ length: rnd(3) }, () => ({ index: rnd(3), op: ops[rnd(ops.length)], value: values[rnd(values.length)], valueTwo: values[rnd(values.length)] }));
      return { names: [pool[rnd(pool.length)], pool[rnd(pool.length)]], action, errnoRet, args };
    });
    const p: SeccompProfile = { defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 9, architectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'], syscalls };
    const c = compileSeccomp(p, 'x86_64');
    const actionOf = (a: string, e?: number) => a === 'SCMP_ACT_ALLOW' ? SECCOMP_RET_ALLOW : a === 'SCMP_ACT_ERRNO' ? errno(e ?? 1) : a === 'SCMP_ACT_TRAP' ? SECCOMP_RET_TRAP : SECCOMP_RET_LOG;
    for (let probe = 0; probe < 40; probe++) {
      const name = pool[rnd(pool.length)];
      const [archName, audit] = ([['x86_64', X86_64], ['x32', X86_64], ['x86', I386]] as const)[rnd(3)];
      const args = [0, 1, 2].map(() => { const v = values[rnd(values.length)]; return archName === 'x86' ? v & 0xffffffffn : v; });
      const rules = syscalls.filter((s) => s.names.includes(name) && actionOf(s.action, s.errnoRet) !== errno(9));
      const always = rules.find((s) => s.args.length === 0);
      const hit = always ?? rules.find((s) => s.args.every((a) => holds(a.op, args[a.index], a.value, a.valueTwo)));
      const want = hit ? actionOf(hit.action, hit.errnoRet) : errno(9);
      const got = runFilter(c.filter, { nr: nr(name, archName), arch: audit, args }).action;
      assert.equal(got, want, `round ${round} ${archName} ${name}(${args.join(',')}) ${JSON.stringify(syscalls, (_k, v) => typeof v === 'bigint' ? `0x${v.toString(16)}` : v)}`);
    }
  }
});

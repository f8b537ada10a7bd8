// @pure
// Argument comparisons: one OCI `args` entry → BPF that falls through when it holds and jumps
// to `fail` when it does not. Arguments are 64-bit; classic BPF sees 32-bit words, so — as
// libseccomp does — the high word is compared first and the low word decides on a tie.
// On a 32-bit architecture (x86) the kernel passes zero-extended 32-bit arguments: only the low
// word is loaded, and a comparison that needs the (zero) high word is decided at compile time.
import { invalidArgument } from '../../errors/errors.ts';
import { Assembler, BPF_JEQ_K, BPF_JGE_K, BPF_JGT_K, argHi, argLo } from './bpf.ts';
import type { Label } from './bpf.ts';
import type { SeccompArg, SeccompValue } from './types.ts';

export type CompareOp = 'SCMP_CMP_NE' | 'SCMP_CMP_LT' | 'SCMP_CMP_LE' | 'SCMP_CMP_EQ' | 'SCMP_CMP_GE' | 'SCMP_CMP_GT' | 'SCMP_CMP_MASKED_EQ';

const OPS = new Set<string>(['SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ', 'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ']);

/** A checked comparison: for MASKED_EQ, `value` is the mask and `valueTwo` the datum (as the OCI spec). */
export interface Condition { index: number; op: CompareOp; value: bigint; valueTwo: bigint }

const U64_MAX = (1n << 64n) - 1n;

export function toU64(v: SeccompValue | undefined, where: string): bigint {
  if (v === undefined || v === null) return 0n;
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw invalidArgument(`seccomp: ${where}: value ${v} is not an integer`);
    n = BigInt(v);
  } else if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v.trim())) n = BigInt(v.trim());
  else throw invalidArgument(`seccomp: ${where}: value ${JSON.stringify(v)} is not an unsigned integer`);
  if (n < 0n || n > U64_MAX) throw invalidArgument(`seccomp: ${where}: value ${v} is outside 0..2^64-1`);
  return n;
}

export function parseCondition(arg: SeccompArg, where: string): Condition {
  if (!Number.isInteger(arg.index) || arg.index < 0 || arg.index > 5) {
    throw invalidArgument(`seccomp: ${where}: argument index ${arg.index} out of range 0..5`);
  }
  if (!OPS.has(arg.op)) throw invalidArgument(`seccomp: ${where}: unknown operator ${JSON.stringify(arg.op)}`);
  return { index: arg.index, op: arg.op as CompareOp, value: toU64(arg.value, where), valueTwo: toU64(arg.valueTwo, where) };
}

const hi = (v: bigint): number => Number(v >> 32n);
const lo = (v: bigint): number => Number(v & 0xffffffffn);

/** Emits `cond` for a 64-bit architecture. */
export function emitCondition64(asm: Assembler, c: Condition, fail: Label): void {
  const ok = asm.label();
  const H = argHi(c.index), L = argLo(c.index);
  const vh = hi(c.value), vl = lo(c.value);
  switch (c.op) {
    case 'SCMP_CMP_EQ':
      asm.load(H); asm.jump(BPF_JEQ_K, vh, null, fail);
      asm.load(L); asm.jump(BPF_JEQ_K, vl, null, fail);
      break;
    case 'SCMP_CMP_NE':
      asm.load(H); asm.jump(BPF_JEQ_K, vh, null, ok);
      asm.load(L); asm.jump(BPF_JEQ_K, vl, fail, null);
      break;
    case 'SCMP_CMP_GT':
    case 'SCMP_CMP_GE':
      asm.load(H); asm.jump(BPF_JGT_K, vh, ok, null); asm.jump(BPF_JEQ_K, vh, null, fail);
      asm.load(L); asm.jump(c.op === 'SCMP_CMP_GT' ? BPF_JGT_K : BPF_JGE_K, vl, null, fail);
      break;
    case 'SCMP_CMP_LT':
    case 'SCMP_CMP_LE':
      asm.load(H); asm.jump(BPF_JGT_K, vh, fail, null); asm.jump(BPF_JEQ_K, vh, null, ok);
      asm.load(L); asm.jump(c.op === 'SCMP_CMP_LT' ? BPF_JGE_K : BPF_JGT_K, vl, fail, null);
      break;
    case 'SCMP_CMP_MASKED_EQ': {
      const m = c.value, d = c.valueTwo;
      asm.load(H); asm.and(hi(m)); asm.jump(BPF_JEQ_K, hi(d), null, fail);
      asm.load(L); asm.and(lo(m)); asm.jump(BPF_JEQ_K, lo(d), null, fail);
      break;
    }
  }
  asm.bind(ok);
}

/** Emits `cond` for a 32-bit architecture, whose arguments have a zero high word. */
export function emitCondition32(asm: Assembler, c: Condition, fail: Label): void {
  const L = argLo(c.index);
  const big = c.value > 0xffffffffn;
  const vl = lo(c.value);
  switch (c.op) {
    case 'SCMP_CMP_EQ':
      if (big) { asm.ja(fail); return; }
      asm.load(L); asm.jump(BPF_JEQ_K, vl, null, fail);
      return;
    case 'SCMP_CMP_NE':
      if (big) return;
      asm.load(L); asm.jump(BPF_JEQ_K, vl, fail, null);
      return;
    case 'SCMP_CMP_GT':
    case 'SCMP_CMP_GE':
      if (big) { asm.ja(fail); return; }
      asm.load(L); asm.jump(c.op === 'SCMP_CMP_GT' ? BPF_JGT_K : BPF_JGE_K, vl, null, fail);
      return;
    case 'SCMP_CMP_LT':
    case 'SCMP_CMP_LE':
      if (big) return;
      asm.load(L); asm.jump(c.op === 'SCMP_CMP_LT' ? BPF_JGE_K : BPF_JGT_K, vl, fail, null);
      return;
    case 'SCMP_CMP_MASKED_EQ':
      if ((c.valueTwo >> 32n) !== 0n) { asm.ja(fail); return; }
      asm.load(L); asm.and(lo(c.value)); asm.jump(BPF_JEQ_K, lo(c.valueTwo), null, fail);
      return;
  }
}

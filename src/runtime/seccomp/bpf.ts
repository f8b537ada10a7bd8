// @pure
// Classic BPF as seccomp uses it: the few opcodes a filter needs, and a forward-only assembler
// with labels. Conditional jumps carry 8-bit offsets (jt/jf); `assemble` refuses a program in
// which one would exceed 255 — the compiler lays code out so that this never happens and uses
// JA (32-bit offset) for every long jump.
import { internal } from '../../errors/errors.ts';

export const BPF_LD_W_ABS = 0x20;  // BPF_LD | BPF_W | BPF_ABS
export const BPF_ALU_AND_K = 0x54; // BPF_ALU | BPF_AND | BPF_K
export const BPF_JA = 0x05;        // BPF_JMP | BPF_JA
export const BPF_JEQ_K = 0x15;     // BPF_JMP | BPF_JEQ | BPF_K
export const BPF_JGT_K = 0x25;     // BPF_JMP | BPF_JGT | BPF_K
export const BPF_JGE_K = 0x35;     // BPF_JMP | BPF_JGE | BPF_K
export const BPF_JSET_K = 0x45;    // BPF_JMP | BPF_JSET | BPF_K
export const BPF_RET_K = 0x06;     // BPF_RET | BPF_K

/** The kernel's limit on a classic BPF program (BPF_MAXINSNS). */
export const BPF_MAXINSNS = 4096;
export const MAX_SHORT_JUMP = 255;

/** struct seccomp_data offsets; args are u64, little-endian here (x86_64, aarch64). */
export const SECCOMP_DATA_NR = 0;
export const SECCOMP_DATA_ARCH = 4;
export const argLo = (index: number): number => 16 + 8 * index;
export const argHi = (index: number): number => 20 + 8 * index;

export interface Instruction { code: number; jt: number; jf: number; k: number }

/** A position in the program; bound once, always ahead of the jumps that use it. */
export interface Label { pos: number }

/** A jump target: a label, null for "the next instruction", or a fixed number of instructions to skip. */
export type Target = Label | null | { skip: number };

interface Pending { code: number; jt: Target; jf: Target; k: number; ja?: Label }

export class Assembler {
  private readonly code: Pending[] = [];

  get length(): number { return this.code.length; }

  label(): Label { return { pos: -1 }; }

  /** A target `n` instructions past the next one. */
  skip(n: number): Target { return { skip: n }; }

  bind(label: Label): void {
    if (label.pos !== -1) throw internal('bpf: label bound twice');
    label.pos = this.code.length;
  }

  /** A = *(u32 *)(seccomp_data + offset) */
  load(offset: number): void { this.code.push({ code: BPF_LD_W_ABS, jt: null, jf: null, k: offset }); }

  and(k: number): void { this.code.push({ code: BPF_ALU_AND_K, jt: null, jf: null, k: k >>> 0 }); }

  /** Conditional jump on A <op> k. */
  jump(code: number, k: number, jt: Target, jf: Target): void { this.code.push({ code, jt, jf, k: k >>> 0 }); }

  /** Unconditional jump, any distance forward. */
  ja(to: Label): void { this.code.push({ code: BPF_JA, jt: null, jf: null, k: 0, ja: to }); }

  ret(k: number): void { this.code.push({ code: BPF_RET_K, jt: null, jf: null, k: k >>> 0 }); }

  /** Resolves labels; throws Internal on an unbound label or a conditional jump past 255. */
  instructions(): Instruction[] {
    return this.code.map((p, pc) => {
      if (p.ja) return { code: p.code, jt: 0, jf: 0, k: offset(p.ja, pc, 0xffffffff) };
      return { code: p.code, jt: offset(p.jt, pc, MAX_SHORT_JUMP), jf: offset(p.jf, pc, MAX_SHORT_JUMP), k: p.k };
    });
  }
}

function offset(target: Target, pc: number, max: number): number {
  if (target === null) return 0;
  if ('skip' in target) return target.skip;
  if (target.pos === -1) throw internal(`bpf: unbound label used at ${pc}`);
  const off = target.pos - pc - 1;
  if (off < 0 || off > max) throw internal(`bpf: jump from ${pc} to ${target.pos} out of range`);
  return off;
}

/** struct sock_filter[]: u16 code, u8 jt, u8 jf, u32 k — little-endian. */
export function encode(program: readonly Instruction[]): Uint8Array {
  const out = new Uint8Array(program.length * 8);
  const view = new DataView(out.buffer);
  program.forEach((ins, i) => {
    view.setUint16(i * 8, ins.code, true);
    view.setUint8(i * 8 + 2, ins.jt);
    view.setUint8(i * 8 + 3, ins.jf);
    view.setUint32(i * 8 + 4, ins.k >>> 0, true);
  });
  return out;
}

export function decode(filter: Uint8Array): Instruction[] {
  const view = new DataView(filter.buffer, filter.byteOffset, filter.byteLength);
  const out: Instruction[] = [];
  for (let i = 0; i + 8 <= filter.byteLength; i += 8) {
    out.push({ code: view.getUint16(i, true), jt: view.getUint8(i + 2), jf: view.getUint8(i + 3), k: view.getUint32(i + 4, true) });
  }
  return out;
}

// @pure
// A classic BPF interpreter for seccomp filters, for tests: runs a filter against one
// struct seccomp_data and returns the SECCOMP_RET_* value. It checks what the kernel's
// verifier checks for the opcodes seccomp allows (jumps inside the program, aligned loads
// inside seccomp_data, a final return) and throws on anything else.
import { BPF_ALU_AND_K, BPF_JA, BPF_JEQ_K, BPF_JGE_K, BPF_JGT_K, BPF_JSET_K, BPF_LD_W_ABS, BPF_RET_K, decode } from './bpf.ts';
import type { Instruction } from './bpf.ts';

export interface SeccompData {
  nr: number;
  arch: number;
  instructionPointer?: bigint;
  /** Up to six 64-bit arguments; missing ones are 0. */
  args?: (bigint | number)[];
}

/** Checks the program's shape; returns the longest conditional jump seen. */
export function verify(program: readonly Instruction[]): { maxJump: number } {
  if (program.length === 0 || program.length > 4096) throw new Error(`bpf: bad length ${program.length}`);
  let maxJump = 0;
  program.forEach((ins, pc) => {
    switch (ins.code) {
      case BPF_LD_W_ABS:
        if (ins.k % 4 !== 0 || ins.k >= 64) throw new Error(`bpf: load of ${ins.k} at ${pc}`);
        break;
      case BPF_ALU_AND_K: case BPF_RET_K: break;
      case BPF_JA:
        if (pc + 1 + ins.k >= program.length) throw new Error(`bpf: ja out of program at ${pc}`);
        break;
      case BPF_JEQ_K: case BPF_JGT_K: case BPF_JGE_K: case BPF_JSET_K:
        if (pc + 1 + Math.max(ins.jt, ins.jf) >= program.length) throw new Error(`bpf: jump out of program at ${pc}`);
        maxJump = Math.max(maxJump, ins.jt, ins.jf);
        break;
      default: throw new Error(`bpf: opcode 0x${ins.code.toString(16)} at ${pc}`);
    }
  });
  if (program[program.length - 1].code !== BPF_RET_K) throw new Error('bpf: program does not end in ret');
  return { maxJump };
}

function word(data: SeccompData, offset: number): number {
  if (offset === 0) return data.nr >>> 0;
  if (offset === 4) return data.arch >>> 0;
  const u64 = offset < 16 ? BigInt.asUintN(64, data.instructionPointer ?? 0n) : BigInt.asUintN(64, BigInt(data.args?.[(offset - 16) >> 3] ?? 0));
  return Number(offset % 8 === 0 ? u64 & 0xffffffffn : u64 >> 32n);
}

export interface RunResult { action: number; steps: number }

export function runFilter(filter: Uint8Array | readonly Instruction[], data: SeccompData): RunResult {
  const program = filter instanceof Uint8Array ? decode(filter) : filter;
  verify(program);
  let a = 0, pc = 0, steps = 0;
  for (;;) {
    const ins = program[pc];
    steps++;
    switch (ins.code) {
      case BPF_LD_W_ABS: a = word(data, ins.k); pc++; break;
      case BPF_ALU_AND_K: a = (a & ins.k) >>> 0; pc++; break;
      case BPF_JA: pc += 1 + ins.k; break;
      case BPF_JEQ_K: pc += 1 + (a === ins.k ? ins.jt : ins.jf); break;
      case BPF_JGT_K: pc += 1 + (a > ins.k ? ins.jt : ins.jf); break;
      case BPF_JGE_K: pc += 1 + (a >= ins.k ? ins.jt : ins.jf); break;
      case BPF_JSET_K: pc += 1 + ((a & ins.k) !== 0 ? ins.jt : ins.jf); break;
      case BPF_RET_K: return { action: ins.k >>> 0, steps };
      default: throw new Error(`bpf: opcode 0x${ins.code.toString(16)}`);
    }
  }
}

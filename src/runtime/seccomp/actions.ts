// @pure
// OCI seccomp names → kernel values: actions (SECCOMP_RET_*), filter flags and architectures.
import { invalidArgument } from '../../errors/errors.ts';
import type { NativeArch } from './types.ts';

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_KILL_THREAD = 0x00000000;
export const SECCOMP_RET_TRAP = 0x00030000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_USER_NOTIF = 0x7fc00000;
export const SECCOMP_RET_TRACE = 0x7ff00000;
export const SECCOMP_RET_LOG = 0x7ffc0000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const SECCOMP_RET_ACTION_FULL = 0xffff0000;
export const SECCOMP_RET_DATA = 0x0000ffff;

/**
 * What a syscall of an architecture the filter does not handle gets: libseccomp's default
 * "bad arch" action (SCMP_FLTATR_ACT_BADARCH = SCMP_ACT_KILL, i.e. KILL_THREAD), which runc and
 * crun leave unchanged. x32 syscalls on an x86_64 filter without x32 get it too, as in libseccomp.
 */
export const BAD_ARCH_ACTION = SECCOMP_RET_KILL_THREAD;

const EPERM = 1;

/** The SECCOMP_RET_* value of an OCI action; errnoRet defaults to EPERM for ERRNO and TRACE (as runc). */
export function actionValue(action: string, errnoRet: number | undefined, where: string): number {
  const data = (): number => {
    if (errnoRet === undefined || errnoRet === null) return EPERM;
    if (!Number.isInteger(errnoRet) || errnoRet < 0 || errnoRet > SECCOMP_RET_DATA) {
      throw invalidArgument(`seccomp: ${where}: errnoRet ${errnoRet} out of range 0..65535`);
    }
    return errnoRet;
  };
  switch (action) {
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD': return SECCOMP_RET_KILL_THREAD;
    case 'SCMP_ACT_KILL_PROCESS': return SECCOMP_RET_KILL_PROCESS;
    case 'SCMP_ACT_TRAP': return SECCOMP_RET_TRAP;
    case 'SCMP_ACT_ERRNO': return (SECCOMP_RET_ERRNO | data()) >>> 0;
    case 'SCMP_ACT_TRACE': return (SECCOMP_RET_TRACE | data()) >>> 0;
    case 'SCMP_ACT_LOG': return SECCOMP_RET_LOG;
    case 'SCMP_ACT_ALLOW': return SECCOMP_RET_ALLOW;
    case 'SCMP_ACT_NOTIFY':
      throw invalidArgument(`seccomp: ${where}: SCMP_ACT_NOTIFY is not supported (no seccomp agent support)`);
    default:
      throw invalidArgument(`seccomp: ${where}: unknown action ${JSON.stringify(action)}`);
  }
}

export const SECCOMP_FILTER_FLAG_TSYNC = 1;
export const SECCOMP_FILTER_FLAG_LOG = 2;
export const SECCOMP_FILTER_FLAG_SPEC_ALLOW = 4;
export const SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;
export const SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV = 32;

const FLAGS: Record<string, number> = {
  SECCOMP_FILTER_FLAG_LOG,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW,
  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
};

/** The profile's `flags` as SECCOMP_FILTER_FLAG_* bits; others (TSYNC, NEW_LISTENER) are refused. */
export function flagBits(flags: readonly string[] | undefined): number {
  let bits = 0;
  for (const f of flags ?? []) {
    const bit = FLAGS[f];
    if (bit === undefined) throw invalidArgument(`seccomp: flag ${JSON.stringify(f)} is not supported`);
    bits |= bit;
  }
  return bits;
}

/** The architectures berth has syscall tables for (libseccomp's names). */
export type TableArch = 'x86_64' | 'x86' | 'x32' | 'aarch64';

export const AUDIT_ARCH: Record<TableArch, number> = {
  x86_64: 0xc000003e, // AUDIT_ARCH_X86_64 (x32 shares it; its syscalls carry __X32_SYSCALL_BIT)
  x86: 0x40000003,    // AUDIT_ARCH_I386
  x32: 0xc000003e,
  aarch64: 0xc00000b7, // AUDIT_ARCH_AARCH64
};

export const X32_SYSCALL_BIT = 0x40000000;

/** SCMP_ARCH_* of the OCI spec → libseccomp's name. */
const SCMP_ARCHES: Record<string, string> = {
  SCMP_ARCH_X86: 'x86', SCMP_ARCH_X86_64: 'x86_64', SCMP_ARCH_X32: 'x32', SCMP_ARCH_ARM: 'arm',
  SCMP_ARCH_AARCH64: 'aarch64', SCMP_ARCH_MIPS: 'mips', SCMP_ARCH_MIPS64: 'mips64',
  SCMP_ARCH_MIPS64N32: 'mips64n32', SCMP_ARCH_MIPSEL: 'mipsel', SCMP_ARCH_MIPSEL64: 'mipsel64',
  SCMP_ARCH_MIPSEL64N32: 'mipsel64n32', SCMP_ARCH_PPC: 'ppc', SCMP_ARCH_PPC64: 'ppc64',
  SCMP_ARCH_PPC64LE: 'ppc64le', SCMP_ARCH_S390: 's390', SCMP_ARCH_S390X: 's390x',
  SCMP_ARCH_PARISC: 'parisc', SCMP_ARCH_PARISC64: 'parisc64', SCMP_ARCH_RISCV64: 'riscv64',
  SCMP_ARCH_LOONGARCH64: 'loongarch64', SCMP_ARCH_M68K: 'm68k', SCMP_ARCH_SH: 'sh', SCMP_ARCH_SHEB: 'sheb',
};

/** What a native architecture can also run that berth has a table for. */
const COMPAT: Record<NativeArch, TableArch[]> = { x86_64: ['x86', 'x32'], aarch64: [] };

export interface FilterArches {
  /** The native one first, then the listed compatible ones. */
  arches: TableArch[];
  ignored: string[];
}

/** The filter's architectures: always the native one (as libseccomp), plus the listed ones it can run. */
export function filterArches(listed: readonly string[] | undefined, native: NativeArch): FilterArches {
  const arches: TableArch[] = [native];
  const ignored: string[] = [];
  for (const name of listed ?? []) {
    const lib = SCMP_ARCHES[name];
    if (lib === undefined) throw invalidArgument(`seccomp: unknown architecture ${JSON.stringify(name)}`);
    if (lib === native) continue;
    const compat = COMPAT[native].find((a) => a === lib);
    if (compat === undefined) ignored.push(name);
    else if (!arches.includes(compat)) arches.push(compat);
  }
  return { arches, ignored };
}

export function scmpArchName(native: NativeArch): string {
  return native === 'x86_64' ? 'SCMP_ARCH_X86_64' : 'SCMP_ARCH_AARCH64';
}

// @pure
// The OCI runtime spec's `linux.seccomp` object (config-linux.md, "Seccomp"), as the compiler
// takes it. Argument values may be numbers, bigints or decimal strings: JSON numbers lose the low
// bits of 64-bit values past 2^53, so callers with such values pass them as bigint or string.

export type SeccompValue = number | bigint | string;

export interface SeccompArg {
  index: number;
  value: SeccompValue;
  valueTwo?: SeccompValue;
  op: string;
}

export interface SeccompSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: SeccompArg[];
}

export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures?: string[];
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: SeccompSyscall[];
}

/** The native architectures berth runs on. */
export type NativeArch = 'x86_64' | 'aarch64';

export interface CompiledSeccomp {
  /** struct sock_filter[], 8 bytes each, little-endian: ready for seccomp(SECCOMP_SET_MODE_FILTER). */
  filter: Uint8Array;
  /** SECCOMP_FILTER_FLAG_* bits. */
  flags: number;
  /** Number of BPF instructions (filter.length / 8). */
  instructions: number;
  /** Syscall names found on none of the filter's architectures (they are left to the default action). */
  skipped: string[];
  /** Per architecture (libseccomp name), the names that architecture lacks. */
  skippedByArch: Record<string, string[]>;
  /** Architectures of the profile that cannot run on the native one or that berth has no table for. */
  ignoredArchitectures: string[];
}

// @pure
// The Linux capability numbers (include/uapi/linux/capability.h): bit n of a capability mask
// is capability n. CAP_CHECKPOINT_RESTORE (40) is the last one as of Linux 6.x.
import { invalidArgument } from '../../errors/errors.ts';

export const CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER',
  'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

export const CAP_LAST_CAP = CAPABILITIES.length - 1;

const NUMBER_OF = new Map(CAPABILITIES.map((name, i) => [name, i]));

/** "chown", "CHOWN", "cap_chown" and "CAP_CHOWN" all become "CAP_CHOWN" (not validated). */
export function canonicalCapName(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/** The number of a capability given in any accepted spelling; unknown names are an InvalidArgument. */
export function capNumber(name: string): number {
  const canonical = canonicalCapName(name);
  const n = NUMBER_OF.get(canonical);
  if (n === undefined) throw invalidArgument(`unknown capability: ${JSON.stringify(canonical)}`);
  return n;
}

// @pure
// OCI mount options → mount(2) flags, propagation changes and the fs-specific data string,
// using the same option names as runc and mount(8).
import { MS } from './linux-flags.ts';

export interface ParsedOptions {
  flags: number;           // MS_* to pass with the mount (without propagation)
  propagation: number[];   // each applied by its own mount call afterwards
  data: string;            // filesystem options (size=64m, mode=755, ...)
  bind: boolean;
  recursive: boolean;
}

const SET: Record<string, number> = {
  ro: MS.RDONLY, nosuid: MS.NOSUID, nodev: MS.NODEV, noexec: MS.NOEXEC, sync: MS.SYNCHRONOUS,
  dirsync: MS.DIRSYNC, remount: MS.REMOUNT, mand: MS.MANDLOCK, noatime: MS.NOATIME,
  nodiratime: MS.NODIRATIME, relatime: MS.RELATIME, strictatime: MS.STRICTATIME, nosymfollow: MS.NOSYMFOLLOW,
};
const CLEAR: Record<string, number> = {
  rw: MS.RDONLY, suid: MS.NOSUID, dev: MS.NODEV, exec: MS.NOEXEC, async: MS.SYNCHRONOUS,
  nomand: MS.MANDLOCK, atime: MS.NOATIME, diratime: MS.NODIRATIME, norelatime: MS.RELATIME,
  nostrictatime: MS.STRICTATIME,
};
const PROPAGATION: Record<string, number> = {
  private: MS.PRIVATE, rprivate: MS.PRIVATE | MS.REC, shared: MS.SHARED, rshared: MS.SHARED | MS.REC,
  slave: MS.SLAVE, rslave: MS.SLAVE | MS.REC, unbindable: MS.UNBINDABLE, runbindable: MS.UNBINDABLE | MS.REC,
};
// Options that mean something to other runtimes or tools but not to the kernel.
const IGNORED = new Set(['tmpcopyup', 'defaults', 'auto', 'noauto', 'nofail', 'user', 'nouser', 'z', 'Z']);

export function parseMountOptions(options: readonly string[] | undefined): ParsedOptions {
  const out: ParsedOptions = { flags: 0, propagation: [], data: '', bind: false, recursive: false };
  const data: string[] = [];
  for (const opt of options ?? []) {
    if (opt === 'bind') { out.bind = true; continue; }
    if (opt === 'rbind') { out.bind = true; out.recursive = true; continue; }
    if (opt in SET) out.flags |= SET[opt];
    else if (opt in CLEAR) out.flags &= ~CLEAR[opt];
    else if (opt in PROPAGATION) out.propagation.push(PROPAGATION[opt]);
    else if (!IGNORED.has(opt)) data.push(opt);
  }
  out.data = data.join(',');
  return out;
}

/** Parses a rootfsPropagation value ("rslave", "private", ...) into flags; default rslave as runc. */
export function rootPropagation(value: string | undefined): number {
  if (!value) return MS.SLAVE | MS.REC;
  const flag = PROPAGATION[value];
  if (flag === undefined) throw new Error(`unknown rootfsPropagation ${JSON.stringify(value)}`);
  return flag;
}

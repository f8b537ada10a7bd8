// @pure
// Docker's default capability set and its --cap-add/--cap-drop rules (moby oci/caps
// TweakCapabilities): "ALL" in add means every capability but the dropped ones; "ALL" in drop
// means only the added ones; otherwise drop from the base, then add.
import { CAPABILITIES, canonicalCapName, capNumber } from './cap-table.ts';

/** Docker's default set, in moby's order. */
export const DOCKER_DEFAULT_CAPS: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

const isAll = (name: string): boolean => name.trim().toUpperCase() === 'ALL';

/** Validates and canonicalises names ("ALL" stays "ALL"); throws InvalidArgument for unknown ones. */
function normalize(names: readonly string[]): string[] {
  return names.map((n) => {
    if (isAll(n)) return 'ALL';
    capNumber(n);
    return canonicalCapName(n);
  });
}

/** The capability list after Docker's --cap-add/--cap-drop, as canonical "CAP_X" names without duplicates. */
export function applyCapAddDrop(base: readonly string[], add: readonly string[], drop: readonly string[]): string[] {
  const adds = normalize(add);
  const drops = normalize(drop);
  const basics = normalize(base).filter((n) => n !== 'ALL');
  let caps: string[];
  if (adds.includes('ALL')) caps = CAPABILITIES.filter((c) => !drops.includes(c));
  else if (drops.includes('ALL')) caps = adds;
  else caps = [...basics.filter((c) => !drops.includes(c)), ...adds];
  return [...new Set(caps)];
}

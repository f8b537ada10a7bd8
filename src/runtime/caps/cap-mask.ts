// @pure
// Capability sets as 64-bit masks (what capset(2) and the helper's caps op take) and back.
import { invalidArgument } from '../../errors/errors.ts';
import { CAPABILITIES, capNumber } from './cap-table.ts';

/** The mask of the named capabilities ("CAP_X", "X" or "x"); unknown names throw InvalidArgument. */
export function capMask(names: readonly string[]): bigint {
  let mask = 0n;
  for (const name of names) mask |= 1n << BigInt(capNumber(name));
  return mask;
}

/** The names of the bits set in mask, in bit order; bits past the table are given as numbers. */
export function capNames(mask: bigint): string[] {
  const out: string[] = [];
  for (let bit = 0; mask >> BigInt(bit) !== 0n; bit++) {
    if ((mask >> BigInt(bit)) & 1n) out.push(CAPABILITIES[bit] ?? String(bit));
  }
  return out;
}

/** The hex mask of a /proc/<pid>/status Cap* line ("00000000a80425fb", with or without "CapEff:"). */
export function parseCapHex(text: string): bigint {
  const hex = text.replace(/^\s*Cap[A-Za-z]+:/, '').trim();
  if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw invalidArgument(`not a capability mask: ${JSON.stringify(text)}`);
  return BigInt(`0x${hex}`);
}

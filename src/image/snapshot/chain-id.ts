// Chain ids per the OCI image spec (config.md, "Layer ChainID"):
//   ChainID(L0) = DiffID(L0); ChainID(L0|…|Ln) = sha256(ChainID(L0|…|Ln-1) + " " + DiffID(Ln)).
import { sha256Hex } from './sha256.ts';

export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) {
    const prev = out.at(-1);
    out.push(prev === undefined ? d : `sha256:${sha256Hex(`${prev} ${d}`)}`);
  }
  return out;
}

export function chainId(diffIds: readonly string[]): string {
  return chainIds(diffIds).at(-1) ?? '';
}

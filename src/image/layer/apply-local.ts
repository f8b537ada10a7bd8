// Extracts a layer's uncompressed tar on the calling thread: tar parse, extract (see apply.ts).
import { readTar } from '../tar/reader.ts';
import { LayerExtractor } from './extract.ts';
import { commandLayerFs } from './layer-fs.ts';
import type { ApplyOptions, Extracted } from './apply.ts';

/** The extractor could not start (e.g. no root): applyLayer throws `inner` as it is, unwrapped. */
export class InitError extends Error {
  readonly inner: Error;
  constructor(inner: Error) {
    super(inner.message);
    this.inner = inner;
  }
}

/** `done(chunk)`: nothing read from the chunk is in use any more (withUncompressed's release). */
export async function extractHere(tar: AsyncIterable<Uint8Array>, done: (c: Uint8Array) => void, root: string, opts: ApplyOptions): Promise<Extracted> {
  let x: LayerExtractor;
  try {
    x = new LayerExtractor(root, opts.fs ?? commandLayerFs, opts);
  } catch (e) {
    throw new InitError(e as Error);
  }
  // x.add writes each body chunk before asking for the next: what readTar releases is unused.
  for await (const e of readTar(tar, { release: done })) await x.add(e);
  await x.finish(process.getuid?.() === 0);
  return { entries: x.entries, usage: x.usage() };
}

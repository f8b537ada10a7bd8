// Applies a layer on the calling thread: decompress + diff id, tar parse, extract (see apply.ts).
import { canceled, invalidArgument, wrap } from '../../errors/errors.ts';
import { readTar } from '../tar/reader.ts';
import { withUncompressed } from './decompress.ts';
import { LayerExtractor } from './extract.ts';
import { commandLayerFs } from './layer-fs.ts';
import type { ApplyOptions, ApplyResult } from './apply.ts';

export async function applyLayerHere(source: AsyncIterable<Uint8Array>, root: string, opts: ApplyOptions): Promise<ApplyResult> {
  const x = new LayerExtractor(root, opts.fs ?? commandLayerFs, opts);
  let u;
  try {
    // x.add writes each body chunk before asking for the next: what readTar releases is unused.
    u = await withUncompressed(source, async (tar, done) => {
      for await (const e of readTar(tar, { release: done })) await x.add(e);
    }, opts.signal);
    await x.finish(process.getuid?.() === 0);
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw canceled('apply layer: canceled', e);
    throw wrap('apply layer', e);
  }
  if (opts.expectDiffID && opts.expectDiffID !== u.diffID) {
    throw invalidArgument(`apply layer: diff id mismatch: expected ${opts.expectDiffID}, got ${u.diffID}`);
  }
  return { ...u, entries: x.entries, usage: x.usage() };
}

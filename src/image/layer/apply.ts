// Applies a layer (gzip, zstd or plain tar) onto a directory: an overlay snapshot's upper dir
// (whiteouts become 0/0 character devices, opaque directories get trusted.overlay.opaque=y) or a
// plain directory holding the merged tree (whiteouts delete). Returns the diff id computed on the
// way through; with expectDiffID a mismatch is an error (the caller discards the directory).
import { canceled, invalidArgument, wrap } from '../../errors/errors.ts';
import { readTar } from '../tar/reader.ts';
import { withUncompressed, type Compression } from './decompress.ts';
import { LayerExtractor, type ExtractOptions } from './extract.ts';
import { commandLayerFs, type LayerFs } from './layer-fs.ts';

export interface ApplyOptions extends ExtractOptions {
  signal?: AbortSignal;
  expectDiffID?: string;
  fs?: LayerFs;
}

export interface ApplyResult {
  diffID: string;
  /** Bytes of the uncompressed tar stream. */
  size: number;
  compression: Compression;
  entries: number;
}

export async function applyLayer(source: AsyncIterable<Uint8Array>, root: string, opts: ApplyOptions): Promise<ApplyResult> {
  const x = new LayerExtractor(root, opts.fs ?? commandLayerFs, opts);
  let u;
  try {
    u = await withUncompressed(source, async (tar) => {
      for await (const e of readTar(tar)) await x.add(e);
    }, opts.signal);
    await x.finish(process.getuid?.() === 0);
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw canceled('apply layer: canceled', e);
    throw wrap('apply layer', e);
  }
  if (opts.expectDiffID && opts.expectDiffID !== u.diffID) {
    throw invalidArgument(`apply layer: diff id mismatch: expected ${opts.expectDiffID}, got ${u.diffID}`);
  }
  return { ...u, entries: x.entries };
}

// Applies a layer (gzip, zstd or plain tar) onto a directory: an overlay snapshot's upper dir
// (whiteouts become 0/0 character devices, opaque directories get trusted.overlay.opaque=y) or a
// plain directory holding the merged tree (whiteouts delete). Returns the diff id computed on the
// way through; with expectDiffID a mismatch is an error (the caller discards the directory).
// A large layer (its compressed size known and above WORKER_MIN_BYTES) is applied in a worker
// thread (apply-thread.ts), so the download and the unpack use two cores; a custom `fs`, a small
// or unsized layer, more than MAX_WORKERS at once, or BERTH_LAYER_WORKER=0 in the environment keep
// the apply on this thread (apply-local.ts).
import type { Compression } from './decompress.ts';
import type { ExtractOptions, Usage } from './extract.ts';
import type { LayerFs } from './layer-fs.ts';
import { applyLayerHere } from './apply-local.ts';
import { activeLayerWorkers, applyInWorker, layerWorkerEntry } from './apply-thread.ts';

export interface ApplyOptions extends ExtractOptions {
  signal?: AbortSignal;
  expectDiffID?: string;
  fs?: LayerFs;
  /** The compressed size when known: large layers go to a worker thread. */
  size?: number;
  /** Forces (true) or forbids (false) the worker thread; by default chosen by size. */
  worker?: boolean;
}

export interface ApplyResult {
  diffID: string;
  /** Bytes of the uncompressed tar stream. */
  size: number;
  compression: Compression;
  entries: number;
  /** The applied tree's disk usage when the extractor could tell it without a walk (see extract.ts). */
  usage?: Usage;
}

/** Below this (compressed) size a worker's start-up (~20-40 ms, a few MiB) is not worth it. */
export const WORKER_MIN_BYTES = 8 << 20;
const MAX_WORKERS = 2;

function wantsWorker(opts: ApplyOptions): boolean {
  if (opts.fs || opts.worker === false || process.env.BERTH_LAYER_WORKER === '0') return false;
  if (opts.worker === true) return true;
  return (opts.size ?? 0) >= WORKER_MIN_BYTES && activeLayerWorkers() < MAX_WORKERS;
}

export async function applyLayer(source: AsyncIterable<Uint8Array>, root: string, opts: ApplyOptions): Promise<ApplyResult> {
  const url = wantsWorker(opts) ? layerWorkerEntry() : null;
  return url ? applyInWorker(source, root, opts, url) : applyLayerHere(source, root, opts);
}

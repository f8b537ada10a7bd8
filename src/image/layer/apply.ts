// Applies a layer (gzip, zstd or plain tar) onto a directory: an overlay snapshot's upper dir
// (whiteouts become 0/0 character devices, opaque directories get trusted.overlay.opaque=y) or a
// plain directory holding the merged tree (whiteouts delete). Returns the diff id computed on the
// way through; with expectDiffID a mismatch is an error (the caller discards the directory).
// A large layer (its compressed size known and above WORKER_MIN_BYTES) of many small files is
// extracted by a worker thread (apply-thread.ts), so the download and inflate, and the file
// syscalls, use two cores; whether its files are small is told by the entries in its first
// PROBE_BYTES (tar-probe.ts). Everything else is extracted on this thread (apply-local.ts): a custom
// `fs`, a small or unsized layer, more than MAX_WORKERS at once, or BERTH_LAYER_WORKER=0.
import { canceled, invalidArgument, wrap } from '../../errors/errors.ts';
import { withUncompressed, type Compression } from './decompress.ts';
import type { ExtractOptions, Usage } from './extract.ts';
import type { LayerFs } from './layer-fs.ts';
import { extractHere, InitError } from './apply-local.ts';
import { activeLayerWorkers, extractInWorker, layerWorkerEntry } from './apply-thread.ts';
import { countTarEntries, peek } from './tar-probe.ts';

export interface ApplyOptions extends ExtractOptions {
  signal?: AbortSignal;
  expectDiffID?: string;
  fs?: LayerFs;
  /** The compressed size when known: large layers may go to a worker thread. */
  size?: number;
  /** Forces (true) or forbids (false) the worker thread; by default chosen by size and probe. */
  worker?: boolean;
}

export interface Extracted {
  entries: number;
  /** The applied tree's disk usage when the extractor could tell it without a walk (see extract.ts). */
  usage?: Usage;
}

export interface ApplyResult extends Extracted {
  diffID: string;
  /** Bytes of the uncompressed tar stream. */
  size: number;
  compression: Compression;
}

/** Below this (compressed) size a worker's start-up (~20-40 ms, a few MiB) is not worth it. */
export const WORKER_MIN_BYTES = 8 << 20;
const MAX_WORKERS = 2;
/**
 * The probe: a worker pays off when the layer's first PROBE_BYTES hold PROBE_MIN_ENTRIES entries or
 * more (bookworm's root: ~33 per MiB on average). A layer of large files does better here: 1 GiB
 * of random data took 8.3 s and 113 MiB RSS through the worker, 7.2 s and 87 MiB on this thread.
 */
export const PROBE_BYTES = 4 << 20;
export const PROBE_MIN_ENTRIES = 32;
/**
 * zlib's output chunk for a layer that may go to the worker: each chunk is one round trip between
 * this thread and the thread pool (32 KiB: bookworm's layer ~2.1 s, 128 KiB: ~1.75 s, 256 KiB:
 * ~1.65 s on a busy 2-core VM). Without releasing them (withUncompressed's `done`), bigger chunks
 * let zlib's dropped output pile up: 1 GiB of zeros peaked at ~164 MiB RSS instead of ~104.
 */
const INFLATE_CHUNK = 128 * 1024;

/** May this layer go to a worker: true (forced), false (never), or 'probe' (if its files are small). */
function workerChoice(opts: ApplyOptions): boolean | 'probe' {
  if (opts.fs || opts.worker === false || process.env.BERTH_LAYER_WORKER === '0') return false;
  if (opts.worker === true) return true;
  return (opts.size ?? 0) >= WORKER_MIN_BYTES && activeLayerWorkers() < MAX_WORKERS ? 'probe' : false;
}

export async function applyLayer(source: AsyncIterable<Uint8Array>, root: string, opts: ApplyOptions): Promise<ApplyResult> {
  const choice = workerChoice(opts);
  const url = choice ? layerWorkerEntry() : null;
  let out: Extracted = { entries: 0 };
  let u;
  try {
    u = await withUncompressed(source, async (tar, done) => {
      let stream = tar;
      let useWorker = url !== null && choice === true;
      if (url && choice === 'probe') {
        const p = await peek(tar, PROBE_BYTES);
        stream = p.stream;
        // Checked again here: other layers may have taken the workers while this one was probed.
        useWorker = countTarEntries(Buffer.concat(p.head)) >= PROBE_MIN_ENTRIES && activeLayerWorkers() < MAX_WORKERS;
      }
      out = useWorker ? await extractInWorker(stream, done, root, opts, url!) : await extractHere(stream, done, root, opts);
    }, opts.signal, url ? { chunkSize: INFLATE_CHUNK } : {});
  } catch (e) {
    if (e instanceof InitError) throw e.inner;
    if ((e as Error)?.name === 'AbortError') throw canceled('apply layer: canceled', e);
    throw wrap('apply layer', e);
  }
  if (opts.expectDiffID && opts.expectDiffID !== u.diffID) {
    throw invalidArgument(`apply layer: diff id mismatch: expected ${opts.expectDiffID}, got ${u.diffID}`);
  }
  return { ...u, ...out };
}

// A layer apply split over two threads: this one receives the download (the caller hashes it and
// writes it to the content store), inflates it (zlib on the thread pool: this thread's event loop
// stays free to start each next step, which a thread busy with file writes would not) and computes
// the diff id (apply.ts); a worker (one per layer, ended after it) parses the tar and does the file
// syscalls.
// The uncompressed bytes are copied into BATCH-sized buffers that are transferred there and back
// (the worker returns each once its tar reader is done with it): at most CREDIT bytes are out, and
// no garbage buffers pile up: zlib's output buffers are freed as soon as they are copied
// (withUncompressed's `done`). The worker isolate alone costs ~15 MiB RSS.
// A worker's error comes back as its code (BerthError) or errno and message, and is thrown as the
// same-thread apply (apply-local.ts) would have thrown it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BerthError, internal } from '../../errors/errors.ts';
import type { ApplyOptions, Extracted } from './apply.ts';
import type { FromWorker, ToWorker, WorkerError, WorkerInput } from './apply-worker.ts';
import { InitError } from './apply-local.ts';

/** Set by scripts/bundle.ts to the worker entry's file name (in dist/chunks/). */
declare const BERTH_LAYER_WORKER: string | undefined;

const BATCH = 256 * 1024;
const CREDIT = 4 << 20;
/** The worker's young generation: it makes little garbage (its input buffers come back here). */
const YOUNG_MB = 2;

let entry: URL | null | undefined;

/** The worker's entry file: the TS source in development, the bundle's chunk in dist; null if neither. */
export function layerWorkerEntry(): URL | null {
  if (entry !== undefined) return entry;
  const names = typeof BERTH_LAYER_WORKER === 'string' ? [BERTH_LAYER_WORKER, `chunks/${BERTH_LAYER_WORKER}`] : ['apply-worker.ts'];
  entry = null;
  for (const n of names) {
    const u = new URL(n, import.meta.url);
    if (existsSync(fileURLToPath(u))) {
      entry = u;
      break;
    }
  }
  return entry;
}

let active = 0;
let started = 0;

/** Workers currently applying a layer (the caller limits them). */
export function activeLayerWorkers(): number {
  return active;
}

/** Workers started by this process (tests). */
export function layerWorkersStarted(): number {
  return started;
}

/** The worker's error as the same thread would have thrown it. */
function rebuild(e: WorkerError): Error {
  if (e.berth) return new BerthError(e.berth, e.message);
  return Object.assign(new Error(e.message), e.errno ? { code: e.errno } : {}, e.name ? { name: e.name } : {});
}

/**
 * Extracts a layer's uncompressed tar in a worker started here; `consumed(chunk)` is called once a
 * chunk has been copied on (withUncompressed's release). Errors are the worker's, rebuilt.
 */
export async function extractInWorker(tar: AsyncIterable<Uint8Array>, consumed: (c: Uint8Array) => void, root: string, opts: ApplyOptions, url: URL): Promise<Extracted> {
  const input: WorkerInput = { root, opts: { whiteouts: opts.whiteouts, chown: opts.chown, opaqueXattr: opts.opaqueXattr } };
  const w = new Worker(url, {
    workerData: { berthLayerApply: input },
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB },
    stdout: false,
    stderr: false,
  });
  active++;
  started++;
  let credit = CREDIT;
  const pool: Uint8Array[] = [];
  const fresh = () => pool.pop() ?? Buffer.allocUnsafeSlow(BATCH);
  let settled = false;
  let wake: (() => void) | undefined;
  const send = (m: ToWorker, transfer?: ArrayBuffer[]) => { if (!settled) w.postMessage(m, transfer); };
  const done = new Promise<Extracted>((resolve, reject) => {
    w.on('message', (m: FromWorker) => {
      if ('free' in m) {
        credit += m.free.byteLength;
        if (m.free.byteLength === BATCH && pool.length < CREDIT / BATCH) pool.push(new Uint8Array(m.free));
      } else if ('entries' in m) resolve(m);
      else reject(m.error.init ? new InitError(rebuild(m.error)) : rebuild(m.error));
      wake?.();
    });
    w.on('error', (e) => reject(internal('layer worker failed', e)));
    w.on('exit', (code) => reject(internal(`layer worker exited (${code})`)));
  });
  void done.catch(() => {}).finally(() => {
    settled = true;
    wake?.();
  });
  let batch = fresh();
  let used = 0;
  const signal = opts.signal;
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  const flush = async () => {
    while (credit <= 0 && !settled && !signal?.aborted) await new Promise<void>((r) => { wake = r; });
    // (A worker stuck in a slow child process must not hold a cancel up.)
    if (signal?.aborted) throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError', cause: signal.reason });
    if (settled) {
      await done; // the worker failed: its error
      throw internal('apply layer: the layer worker ended before the end of the layer');
    }
    credit -= used;
    const out = used === BATCH ? batch : batch.slice(0, used);
    send({ chunk: out }, [out.buffer as ArrayBuffer]);
    batch = fresh();
    used = 0;
  };
  try {
    for await (const c of tar) {
      for (let off = 0; off < c.length;) {
        const n = Math.min(c.length - off, BATCH - used);
        batch.set(n === c.length ? c : c.subarray(off, off + n), used);
        used += n;
        off += n;
        if (used === BATCH) await flush();
      }
      consumed(c);
    }
    if (used) await flush();
    send({ end: true });
    return await done;
  } catch (e) {
    send({ abort: true });
    await done.catch(() => {});
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    active--;
    void w.terminate();
  }
}

// The worker_threads entry of a layer apply (apply-thread.ts starts it): the tar stream arrives
// as messages of uncompressed bytes (their buffers transferred), each buffer transferred back when
// the tar reader is done with it (the sender reuses it: no garbage buffers pile up on either side,
// and the sender's credit counts what this side holds); the entries are extracted here, off the
// thread that downloads and inflates. The entry count or the error (code, errno, message) is posted back.
import { parentPort, workerData } from 'node:worker_threads';
import { BerthError } from '../../errors/errors.ts';
import { readTar } from '../tar/reader.ts';
import { LayerExtractor, type ExtractOptions, type Usage } from './extract.ts';
import { commandLayerFs } from './layer-fs.ts';

export type ToWorker = { chunk: Uint8Array } | { end: true } | { abort: true };

/** An error crossing the thread: a BerthError (code), a Node error (errno), or anything else. */
export interface WorkerError {
  berth?: BerthError['code'];
  errno?: string;
  name?: string;
  message: string;
  /** Thrown by the extractor's constructor (applyLayer lets those through unwrapped). */
  init?: boolean;
}

/** `free`: a chunk's buffer handed back (transferred) once the tar reader is done with it. */
export type FromWorker = { free: ArrayBuffer } | { entries: number; usage?: Usage } | { error: WorkerError };

export interface WorkerInput {
  root: string;
  opts: ExtractOptions;
}

function describe(e: unknown, init: boolean): WorkerError {
  const err = e as (Error & { code?: unknown }) | undefined;
  const message = err instanceof Error ? err.message : String(e);
  if (e instanceof BerthError) return { berth: e.code, message, init };
  return { errno: typeof err?.code === 'string' ? err.code : undefined, name: err?.name, message, init };
}

class InitFailure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

async function extract(port: NonNullable<typeof parentPort>, input: WorkerInput): Promise<{ entries: number; usage?: Usage }> {
  const queue: Uint8Array[] = [];
  let ended = false;
  let aborted = false;
  let wake: (() => void) | undefined;
  port.on('message', (m: ToWorker) => {
    if ('chunk' in m) queue.push(m.chunk);
    else if ('end' in m) ended = true;
    else aborted = true;
    wake?.();
    wake = undefined;
  });
  const source = async function* (): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (aborted) throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
      const c = queue.shift();
      if (c) {
        yield c;
        continue;
      }
      if (ended) return;
      await new Promise<void>((r) => { wake = r; });
    }
  };
  let x: LayerExtractor;
  try {
    x = new LayerExtractor(input.root, commandLayerFs, input.opts);
  } catch (e) {
    throw new InitFailure(e);
  }
  const release = (c: Uint8Array) => {
    const b = c.buffer as ArrayBuffer;
    port.postMessage({ free: b } satisfies FromWorker, [b]);
  };
  // x.add writes each body chunk before asking for the next: what readTar releases is unused.
  for await (const e of readTar(source(), { release })) await x.add(e);
  await x.finish(process.getuid?.() === 0);
  return { entries: x.entries, usage: x.usage() };
}

if (parentPort && (workerData as { berthLayerApply?: WorkerInput } | undefined)?.berthLayerApply) {
  const port = parentPort;
  extract(port, (workerData as { berthLayerApply: WorkerInput }).berthLayerApply).then(
    (done) => port.postMessage(done satisfies FromWorker),
    (e: unknown) => port.postMessage({ error: e instanceof InitFailure ? describe(e.error, true) : describe(e, false) } satisfies FromWorker),
  ).finally(() => port.close());
}

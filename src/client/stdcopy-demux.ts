// Splits a multiplexed attach/exec/logs stream into stdout and stderr (Docker's StdCopy).
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { internal } from '../errors/errors.ts';
import { StdcopyDecoder } from '../api/stdcopy.ts';

async function put(w: Writable, data: Buffer): Promise<void> {
  if (!w.write(data)) await once(w, 'drain');
}

/** Copies frames to `stdout`/`stderr` until `src` ends; a `systemerr` frame fails with its text. */
export async function demuxStream(src: Readable, stdout: Writable, stderr: Writable): Promise<void> {
  const dec = new StdcopyDecoder();
  for await (const chunk of src) {
    for (const f of dec.push(chunk as Buffer)) {
      if (f.stream === 'stdout') await put(stdout, f.data);
      else if (f.stream === 'stderr') await put(stderr, f.data);
      else if (f.stream === 'systemerr') throw internal(f.data.toString('utf8'));
    }
  }
}

/** The frames as an async iterable, for callers that want to see which stream said what. */
export async function* demuxFrames(src: Readable): AsyncGenerator<{ stream: 'stdout' | 'stderr'; data: Buffer }> {
  const dec = new StdcopyDecoder();
  for await (const chunk of src) {
    for (const f of dec.push(chunk as Buffer)) {
      if (f.stream === 'systemerr') throw internal(f.data.toString('utf8'));
      if (f.stream !== 'stdin') yield { stream: f.stream, data: f.data };
    }
  }
}

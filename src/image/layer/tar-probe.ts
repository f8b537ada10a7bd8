// @pure
// A look at the start of a layer's tar to tell what kind of layer it is: how many entries its
// first bytes hold. A layer of many small files (a distribution's root) is worth a worker thread
// for its file syscalls; one of a few large files (1 GiB of model weights) is not: there the
// worker's copies and its isolate cost time and ~25 MiB for nothing (apply.ts).
import { BLOCK, isZeroBlock, parseNumeric } from '../tar/header.ts';

/** Tar headers in `tar` (header blocks walked by their size fields; a bad header ends the count). */
export function countTarEntries(tar: Uint8Array): number {
  let n = 0;
  for (let off = 0; off + BLOCK <= tar.length;) {
    const h = tar.subarray(off, off + BLOCK);
    if (isZeroBlock(h)) break;
    let size: number;
    try {
      size = parseNumeric(h, 124, 12);
    } catch {
      break; // the reader reports it properly
    }
    const flag = String.fromCharCode(h[156]);
    // Links, symlinks, devices, fifos and directories carry no body whatever their size field says.
    const body = flag === '1' || flag === '2' || flag === '3' || flag === '4' || flag === '5' || flag === '6' ? 0 : size;
    n++;
    off += BLOCK + Math.ceil(body / BLOCK) * BLOCK;
  }
  return n;
}

/** The first chunks of `src` holding at least `bytes` (fewer at its end), and the whole stream again (the head replayed, then the rest). */
export async function peek(src: AsyncIterable<Uint8Array>, bytes: number): Promise<{ head: Uint8Array[]; stream: AsyncIterable<Uint8Array> }> {
  const it = src[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let have = 0;
  let ended = false;
  while (have < bytes) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    have += r.value.length;
  }
  const stream: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => {
      let replay = 0;
      return {
        next: async () => (replay < head.length ? { done: false, value: head[replay++] }
          : ended ? { done: true, value: undefined } : it.next()),
        return: async () => (await it.return?.()) ?? { done: true, value: undefined },
      };
    },
  };
  return { head, stream };
}

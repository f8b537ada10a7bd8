// Helpers for hijacked connections (attach, exec start): the content type Docker announces, and
// a writer that frames a container's stdout/stderr into stdcopy's multiplexed stream.
import { Writable } from 'node:stream';
import { MEDIA_MULTIPLEXED_STREAM, MEDIA_RAW_STREAM } from '../api/media-types.ts';
import { encodeHeader, type StdStream } from '../api/stdcopy.ts';
import { versionAtLeast } from '../api/version.ts';

/** Docker: a TTY is always raw; otherwise API ≥ 1.42 announces the multiplexed stream. */
export function hijackContentType(apiVersion: string, tty: boolean): string {
  return !tty && versionAtLeast(apiVersion, '1.42') ? MEDIA_MULTIPLEXED_STREAM : MEDIA_RAW_STREAM;
}

/**
 * A Writable whose every chunk goes to `out` as one stdcopy frame of `stream`. Ending it does
 * not end `out` (stdout and stderr share one connection).
 */
export function stdcopyWriter(out: Writable, stream: StdStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (chunk.length === 0) return cb();
      out.write(encodeHeader(stream, chunk.length));
      if (out.write(chunk)) cb();
      else out.once('drain', () => cb());
    },
  });
}

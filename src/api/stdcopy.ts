// @pure
// Docker's stdcopy framing for multiplexed attach/exec/logs streams: every frame is an 8-byte
// header [stream, 0, 0, 0, size (uint32 big-endian)] followed by `size` bytes of payload.
export type StdStream = 'stdin' | 'stdout' | 'stderr' | 'systemerr';

const STREAM_IDS: Record<StdStream, number> = { stdin: 0, stdout: 1, stderr: 2, systemerr: 3 };
const STREAM_NAMES: StdStream[] = ['stdin', 'stdout', 'stderr', 'systemerr'];
export const STDCOPY_HEADER_LEN = 8;

export interface StdFrame { stream: StdStream; data: Buffer }

/** One frame: header + payload (copied into a single buffer, as Docker writes them). */
export function encodeFrame(stream: StdStream, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(STDCOPY_HEADER_LEN + data.length);
  out[0] = STREAM_IDS[stream];
  out[1] = 0; out[2] = 0; out[3] = 0;
  out.writeUInt32BE(data.length, 4);
  out.set(data, STDCOPY_HEADER_LEN);
  return out;
}

/** The header alone, for writers that send header and payload as two writes (no copy). */
export function encodeHeader(stream: StdStream, length: number): Buffer {
  const h = Buffer.alloc(STDCOPY_HEADER_LEN);
  h[0] = STREAM_IDS[stream];
  h.writeUInt32BE(length, 4);
  return h;
}

/**
 * Incremental decoder: feed it chunks as they come off the wire, get whole frames back.
 * Throws on an unknown stream id (the stream is not multiplexed, or is corrupt).
 */
export class StdcopyDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): StdFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    const frames: StdFrame[] = [];
    let off = 0;
    while (this.buf.length - off >= STDCOPY_HEADER_LEN) {
      const id = this.buf[off];
      const stream = STREAM_NAMES[id];
      if (stream === undefined) throw new Error(`stdcopy: unrecognized stream id ${id}`);
      const size = this.buf.readUInt32BE(off + 4);
      if (this.buf.length - off - STDCOPY_HEADER_LEN < size) break;
      const start = off + STDCOPY_HEADER_LEN;
      frames.push({ stream, data: this.buf.subarray(start, start + size) });
      off = start + size;
    }
    this.buf = off === this.buf.length ? Buffer.alloc(0) : this.buf.subarray(off);
    return frames;
  }

  /** Bytes of an incomplete frame still held (non-zero at end of stream means truncation). */
  get pending(): number {
    return this.buf.length;
  }
}

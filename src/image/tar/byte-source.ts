// @pure
// Pull-based byte queue over an async iterable of chunks: exact reads for header blocks and
// bounded chunk streaming for bodies, without copying whole bodies.
import { invalidArgument } from '../../errors/errors.ts';

export class ByteSource {
  #it: AsyncIterator<Uint8Array>;
  #chunks: Uint8Array[] = [];
  #avail = 0;
  #done = false;
  /** Bytes consumed so far (position in the stream). */
  position = 0;
  readonly #release: ((chunk: Uint8Array) => void) | undefined;
  /** Chunks consumed whole, handed to #release at the next call (what was read from them is used by then). */
  #dropped: Uint8Array[] = [];

  /**
   * With `release`, each source chunk is handed back once nothing read from it can still be in use:
   * at the first call after the one that consumed its last byte (the caller may then reuse it).
   */
  constructor(src: AsyncIterable<Uint8Array>, release?: (chunk: Uint8Array) => void) {
    this.#it = src[Symbol.asyncIterator]();
    this.#release = release;
  }

  #releaseDropped(): void {
    if (this.#dropped.length === 0) return;
    const d = this.#dropped;
    this.#dropped = [];
    for (const c of d) this.#release!(c);
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    for (;;) {
      const r = await this.#it.next();
      if (r.done) {
        this.#done = true;
        return false;
      }
      if (r.value.length === 0) {
        this.#release?.(r.value);
        continue;
      }
      this.#chunks.push(r.value);
      this.#avail += r.value.length;
      return true;
    }
  }

  /** Exactly n bytes, or fewer only at end of stream. */
  async read(n: number): Promise<Uint8Array> {
    this.#releaseDropped();
    while (this.#avail < n) if (!(await this.#fill())) break;
    const take = Math.min(n, this.#avail);
    const first = this.#chunks[0];
    let out: Uint8Array;
    if (first && first.length >= take) {
      out = first.subarray(0, take);
      this.#consume(take);
    } else {
      out = new Uint8Array(take);
      let o = 0;
      while (o < take) {
        const c = this.#chunks[0];
        const k = Math.min(c.length, take - o);
        out.set(c.subarray(0, k), o);
        o += k;
        this.#consume(k);
      }
    }
    return out;
  }

  /** Exactly n bytes or an error naming what was truncated. */
  async readExact(n: number, what: string): Promise<Uint8Array> {
    const b = await this.read(n);
    if (b.length !== n) throw invalidArgument(`tar: unexpected end of archive in ${what}`);
    return b;
  }

  #consume(k: number): void {
    const c = this.#chunks[0];
    if (k === c.length) {
      this.#chunks.shift();
      if (this.#release) this.#dropped.push(c);
    }
    else this.#chunks[0] = c.subarray(k);
    this.#avail -= k;
    this.position += k;
  }

  /** Up to `max` bytes as they arrive (at least 1 unless at end). */
  async readSome(max: number): Promise<Uint8Array> {
    this.#releaseDropped();
    if (this.#avail === 0 && !(await this.#fill())) return new Uint8Array(0);
    const c = this.#chunks[0];
    const k = Math.min(max, c.length);
    const out = c.subarray(0, k);
    this.#consume(k);
    return out;
  }

  async skip(n: number, what: string): Promise<void> {
    let left = n;
    while (left > 0) {
      const b = await this.readSome(left);
      if (b.length === 0) throw invalidArgument(`tar: unexpected end of archive in ${what}`);
      left -= b.length;
    }
  }

  /** Reads and discards everything left (so a hash over the stream sees all of it). */
  async drain(): Promise<void> {
    this.#releaseDropped();
    const drop = () => {
      this.position += this.#avail;
      if (this.#release) for (const c of this.#chunks) this.#release(c);
      this.#chunks = [];
      this.#avail = 0;
    };
    drop();
    while (await this.#fill()) drop();
  }
}

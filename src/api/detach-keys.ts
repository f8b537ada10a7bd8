// @pure
// Detach keys (moby/term ToBytes and its escape proxy): `--detach-keys` / the `detachKeys`
// attach query / an exec's DetachKeys name a sequence like "ctrl-p,ctrl-q" (Docker's default);
// the daemon watches a TTY session's stdin for it and ends the session, leaving the container
// (or exec process) running.

/** Docker's default: ctrl-p, ctrl-q. */
export const DEFAULT_DETACH_KEYS = Uint8Array.of(16, 17);

// moby/term's ASCII table: ctrl-@ is 0, ctrl-a..ctrl-z 1..26, then ctrl-[ ctrl-\ ctrl-] ctrl-^ ctrl-_.
const CTRL = ['ctrl-@', ...Array.from({ length: 26 }, (_, i) => `ctrl-${String.fromCharCode(97 + i)}`), 'ctrl-[', 'ctrl-\\', 'ctrl-]', 'ctrl-^', 'ctrl-_'];

/**
 * "ctrl-p,ctrl-q" → [16, 17]; a single character stands for itself ("a,ctrl-b"). Throws Docker's
 * "Unknown character: 'x'" for anything else.
 */
export function parseDetachKeys(keys: string): Uint8Array {
  const out: number[] = [];
  for (const key of keys.split(',')) {
    if (key.length === 1) { out.push(key.charCodeAt(0) & 0xff); continue; }
    const code = CTRL.indexOf(key.toLowerCase());
    if (code < 0) throw new Error(`Unknown character: '${key}'`);
    out.push(code);
  }
  return Uint8Array.from(out);
}

/**
 * Scans a stdin stream for the detach sequence. Bytes that may begin the sequence are held back
 * until it is broken (then they are passed on) or completed (then they are dropped: detach).
 */
export class DetachScanner {
  readonly #keys: Uint8Array;
  #pos = 0;
  #detached = false;

  constructor(keys: Uint8Array = DEFAULT_DETACH_KEYS) {
    this.#keys = keys.length ? keys : DEFAULT_DETACH_KEYS;
  }

  get detached(): boolean { return this.#detached; }

  /** The bytes of `chunk` to forward, and whether the sequence has now been read. */
  push(chunk: Uint8Array): { data: Uint8Array; detach: boolean } {
    if (this.#detached) return { data: new Uint8Array(0), detach: true };
    const out: number[] = [];
    for (const b of chunk) {
      if (b !== this.#keys[this.#pos] && this.#pos > 0) {
        for (let i = 0; i < this.#pos; i++) out.push(this.#keys[i]);
        this.#pos = 0;
      }
      if (b === this.#keys[this.#pos]) {
        if (++this.#pos === this.#keys.length) {
          this.#detached = true;
          return { data: Uint8Array.from(out), detach: true };
        }
        continue;
      }
      out.push(b);
    }
    return { data: Uint8Array.from(out), detach: false };
  }
}

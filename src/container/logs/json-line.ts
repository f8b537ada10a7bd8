// @pure
// One line of Docker's json-file log: {"log":"…","stream":"stdout","time":"<RFC3339Nano>"}\n.
// Strings are escaped as Go's encoder does (<, >, & and U+2028/9 as \u escapes), so files match
// Docker's byte for byte for ordinary text. Also: the 16 KiB line splitting of Docker's log
// copier (a longer line becomes several partial entries; only the last ends in "\n").
import { invalidArgument } from '../../errors/errors.ts';
import { isoTime } from '../../sys/iso-time.ts';

export type LogStream = 'stdout' | 'stderr';

export interface LogEntry { log: string; stream: LogStream; time: string; attrs?: Record<string, string> }

/** Docker's copier buffer: a line longer than this is logged in partial pieces. */
export const MAX_LINE = 16 * 1024;

const HEX = '0123456789abcdef';

/** A JSON string escaped as Docker's json-file writer does (jsonlog's ffjson writer): \n and \r
 *  short, every other control character (tab too) and <, >, & as \u00XX, U+2028/9 escaped. */
export function goJsonString(s: string): string {
  let out = '"', start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26 && c !== 0x2028 && c !== 0x2029) continue;
    out += s.slice(start, i);
    if (c === 0x22 || c === 0x5c) out += `\\${s[i]}`;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x2028 || c === 0x2029) out += `\\u202${HEX[c & 15]}`;
    else out += `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    start = i + 1;
  }
  return `${out}${s.slice(start)}"`;
}

export function encodeEntry(e: LogEntry): string {
  let out = `{"log":${goJsonString(e.log)},"stream":"${e.stream}",`;
  if (e.attrs && Object.keys(e.attrs).length) out += `"attrs":${JSON.stringify(e.attrs)},`;
  return `${out}"time":"${e.time}"}\n`;
}

export function decodeLine(line: string): LogEntry {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    throw invalidArgument(`corrupt log line: ${line.slice(0, 80)}`, err);
  }
  const o = v as Partial<LogEntry>;
  if (typeof o?.log !== 'string' || typeof o.time !== 'string') throw invalidArgument(`corrupt log line: ${line.slice(0, 80)}`);
  return { log: o.log, stream: o.stream === 'stderr' ? 'stderr' : 'stdout', time: o.time, ...(o.attrs ? { attrs: o.attrs } : {}) };
}

/** RFC 3339 (any fraction) → nanoseconds since the epoch. */
export function timeToNs(t: string): bigint {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (!m) throw invalidArgument(`invalid timestamp ${JSON.stringify(t)}`);
  const secs = BigInt(Date.parse(`${m[1]}${m[3]}`)) / 1000n;
  return secs * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
}

function utcSeconds(ns: bigint): [string, string] {
  const secs = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return [isoTime(Number(secs) * 1000).slice(0, 19), frac];
}

/** Go's RFC3339Nano (trailing zeros trimmed), what json-file stores. */
export function nsToTime(ns: bigint): string {
  const [s, frac] = utcSeconds(ns);
  const f = frac.replace(/0+$/, '');
  return `${s}${f ? '.' + f : ''}Z`;
}

/** Docker's RFC3339NanoFixed (always 9 digits), what `docker logs -t` prints. */
export function nsToFixedTime(ns: bigint): string {
  const [s, frac] = utcSeconds(ns);
  return `${s}.${frac}Z`;
}

/**
 * Splits a byte stream into log messages as Docker's copier does: each "\n"-terminated line is
 * one message (with its "\n"); MAX_LINE bytes without a newline become a partial message.
 */
export class LineSplitter {
  private pending: Uint8Array[] = [];
  private pendingLen = 0;

  /** Complete (and full-size partial) messages found in `chunk`. */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const room = MAX_LINE - this.pendingLen;
      const end = nl < 0 ? chunk.length : nl + 1;
      if (end - start > room) {
        this.add(chunk.subarray(start, start + room));
        out.push(this.take());
        start += room;
        continue;
      }
      this.add(chunk.subarray(start, end));
      start = end;
      if (nl >= 0) out.push(this.take());
    }
    return out;
  }

  /** The unterminated rest, as a final partial message (or undefined). */
  flush(): Uint8Array | undefined {
    return this.pendingLen ? this.take() : undefined;
  }

  private add(b: Uint8Array): void {
    if (b.length) { this.pending.push(b.slice()); this.pendingLen += b.length; }
  }

  private take(): Uint8Array {
    const buf = new Uint8Array(this.pendingLen);
    let o = 0;
    for (const p of this.pending) { buf.set(p, o); o += p.length; }
    this.pending = [];
    this.pendingLen = 0;
    return buf;
  }
}

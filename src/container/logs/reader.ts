// Reads a json-file log: the rotated files oldest first, then the live one; `tail` counts from the
// end across files; `since`/`until` filter on entry time; `follow` keeps reading as the writer
// appends, across rotations (the live file renamed to .1 and a new one started) and truncation,
// until `stopped` settles (the container exited) or `signal` aborts.
import { watch, type FSWatcher } from 'node:fs';
import { open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { decodeLine, nsToFixedTime, timeToNs, type LogEntry } from './json-line.ts';

export interface ReadOptions {
  /** Last N entries only (undefined or negative: all). */
  tail?: number;
  sinceNs?: bigint;
  untilNs?: bigint;
  follow?: boolean;
  /** Follow ends (after a last read) when this settles. */
  stopped?: Promise<unknown>;
  signal?: AbortSignal;
  /** Fallback polling interval while following, in ms. */
  pollMs?: number;
}

export type TimedEntry = LogEntry & { timeNs: bigint };

/** `<path>.N` files that exist, oldest (highest N) first. */
async function rotatedFiles(path: string): Promise<string[]> {
  const base = basename(path);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  return names
    .map((n) => (n.startsWith(`${base}.`) && /^\d+$/.test(n.slice(base.length + 1)) ? Number(n.slice(base.length + 1)) : -1))
    .filter((n) => n > 0).sort((a, b) => b - a).map((n) => `${path}.${n}`);
}

/** Rotated files written after the file with inode `ino` (all of them when it is gone), oldest first. */
async function newerRotated(path: string, ino: number): Promise<string[]> {
  const newer: string[] = [];
  for (const f of (await rotatedFiles(path)).reverse()) {
    const st = await stat(f).catch(() => undefined);
    if (!st) break;
    if (st.ino === ino) return newer.reverse();
    newer.push(f);
  }
  return newer.reverse();
}

function parseLines(text: string): TimedEntry[] {
  const out: TimedEntry[] = [];
  // Lines of one second share their seconds part: parse it once (timeToNs is the hot spot).
  let lastPrefix = '';
  let lastSecNs = 0n;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const e = decodeLine(line) as TimedEntry;
    const t = e.time;
    const dot = t.length > 20 && t[19] === '.' ? 19 : -1;
    if (dot > 0 && t.endsWith('Z') && t.slice(0, dot) === lastPrefix) {
      e.timeNs = lastSecNs + BigInt(t.slice(dot + 1, -1).padEnd(9, '0'));
    } else {
      e.timeNs = timeToNs(t);
      if (dot > 0 && t.endsWith('Z')) {
        lastPrefix = t.slice(0, dot);
        lastSecNs = e.timeNs - BigInt(t.slice(dot + 1, -1).padEnd(9, '0'));
      }
    }
    out.push(e);
  }
  return out;
}

/** Reads from `fh` at `offset` up to the last complete line. */
async function readNew(fh: FileHandle, offset: number): Promise<{ text: string; offset: number }> {
  const { size } = await fh.stat();
  if (size <= offset) return { text: '', offset };
  const buf = Buffer.alloc(size - offset);
  const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
  const end = buf.subarray(0, bytesRead).lastIndexOf(10) + 1;
  return { text: buf.subarray(0, end).toString('utf8'), offset: offset + end };
}

export async function* readLogs(path: string, opts: ReadOptions = {}): AsyncGenerator<TimedEntry> {
  const keep = (e: TimedEntry) => opts.sinceNs === undefined || e.timeNs >= opts.sinceNs;
  const past = (e: TimedEntry) => opts.untilNs !== undefined && e.timeNs > opts.untilNs;
  let fh: FileHandle | undefined = await open(path, 'r').catch(() => undefined);
  try {
    const history: string[] = [];
    for (const f of await rotatedFiles(path)) history.push(await readFile(f, 'utf8').catch(() => ''));
    let offset = 0;
    if (fh) {
      const r = await readNew(fh, 0);
      history.push(r.text);
      offset = r.offset;
    }
    let entries = history.flatMap(parseLines);
    if (opts.tail !== undefined && opts.tail >= 0) entries = opts.tail === 0 ? [] : entries.slice(-opts.tail);
    for (const e of entries) {
      if (past(e)) return;
      if (keep(e)) yield e;
    }
    if (!opts.follow) return;

    let stopped = false;
    opts.stopped?.then(() => { stopped = true; }, () => { stopped = true; });
    const waker = new Waker(path, opts.pollMs ?? 200, opts.signal, opts.stopped);
    try {
      for (;;) {
        if (opts.signal?.aborted) return;
        const last = stopped;
        let progressed = false;
        if (fh) {
          const r = await readNew(fh, offset);
          offset = r.offset;
          for (const e of parseLines(r.text)) {
            progressed = true;
            if (past(e)) return;
            if (keep(e)) yield e;
          }
        }
        if (!progressed) {
          const cur = await stat(path).catch(() => undefined);
          const mine = fh ? await fh.stat() : undefined;
          if (cur && (!mine || cur.ino !== mine.ino)) {
            if (fh) { // rotated: drain what was appended to the old file before the rename
              const r = await readNew(fh, offset);
              for (const e of parseLines(r.text)) {
                if (past(e)) return;
                if (keep(e)) yield e;
              }
              await fh.close();
              // Rotated more than once since the last look: read the files between, oldest first.
              for (const f of await newerRotated(path, mine!.ino)) {
                for (const e of parseLines(await readFile(f, 'utf8').catch(() => ''))) {
                  if (past(e)) return;
                  if (keep(e)) yield e;
                }
              }
            }
            fh = await open(path, 'r');
            offset = 0;
            continue;
          }
          if (cur && mine && cur.size < offset) { offset = 0; continue; } // truncated (max-file 1)
          if (last) return;
          await waker.wait();
        }
      }
    } finally {
      waker.close();
    }
  } finally {
    await fh?.close();
  }
}

/** Resolves on a change in the log's directory, the poll interval, abort or stop. */
class Waker {
  private watcher: FSWatcher | undefined;
  private wake: (() => void) | undefined;
  private readonly pollMs: number;

  constructor(path: string, pollMs: number, signal?: AbortSignal, stopped?: Promise<unknown>) {
    this.pollMs = pollMs;
    try {
      this.watcher = watch(dirname(path), () => this.wake?.());
      this.watcher.on('error', () => {});
    } catch { /* polling only */ }
    signal?.addEventListener('abort', () => this.wake?.(), { once: true });
    stopped?.then(() => this.wake?.(), () => this.wake?.());
  }

  wait(): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, this.pollMs);
      const self = this;
      function done() { clearTimeout(t); self.wake = undefined; resolve(); }
      this.wake = done;
    });
  }

  close(): void {
    this.watcher?.close();
    this.wake?.();
  }
}

/**
 * The log's complete lines as bytes, rotated files oldest first, then the live file; with
 * `tail` only the last `tail` lines. For the fast answer of `docker logs` (fast-frames.ts).
 */
export async function readLogBytes(path: string, tail?: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const f of await rotatedFiles(path)) parts.push(await readFile(f).catch(() => Buffer.alloc(0)));
  const live = await readFile(path).catch(() => Buffer.alloc(0));
  parts.push(live.subarray(0, live.lastIndexOf(10) + 1));
  const all = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  if (tail === undefined || tail < 0) return all;
  let at = all.length;
  for (let n = 0; n < tail && at > 0; n++) at = all.lastIndexOf(10, at - 2) + 1;
  return all.subarray(tail === 0 ? all.length : at);
}

/** The text `docker logs` prints for an entry, with `-t` the fixed-width timestamp first. */
export function formatEntry(e: TimedEntry, timestamps: boolean): string {
  return timestamps ? `${nsToFixedTime(e.timeNs)} ${e.log}` : e.log;
}

// The json-file log writer: one file per container (<id>-json.log), rotated when the next entry
// would pass maxSize: <log>.1 … <log>.<maxFile-1> hold older entries (1 newest). Writes are
// synchronous appends, so readers see whole lines in order.
import { closeSync, fstatSync, openSync, renameSync, writeSync, ftruncateSync } from 'node:fs';
import { encodeEntry, LineSplitter, nsToTime, type LogStream } from './json-line.ts';
import type { JsonFileOptions } from './log-opts.ts';
import { DEFAULT_MAX_FILE, DEFAULT_MAX_SIZE } from './log-opts.ts';

/** Wall-clock nanoseconds: Date.now() for the milliseconds, hrtime for the digits below. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
}

export class JsonFileWriter {
  readonly path: string;
  private readonly maxSize: number;
  private readonly maxFile: number;
  private readonly clock: () => bigint;
  private fd: number;
  private size: number;
  private readonly splitters: Record<LogStream, LineSplitter> = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  private readonly decoder = new TextDecoder();

  constructor(path: string, opts: Partial<JsonFileOptions> = {}, clock: () => bigint = nowNs) {
    this.path = path;
    this.maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE;
    this.maxFile = opts.maxFile ?? DEFAULT_MAX_FILE;
    this.clock = clock;
    this.fd = openSync(path, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  /** Output of the container: split into messages (16 KiB at most) and logged. */
  write(stream: LogStream, chunk: Uint8Array): void {
    for (const msg of this.splitters[stream].push(chunk)) this.log(stream, this.decoder.decode(msg));
  }

  /** One message as it is (a message without "\n" is a partial line). */
  log(stream: LogStream, text: string, timeNs: bigint = this.clock()): void {
    const line = Buffer.from(encodeEntry({ log: text, stream, time: nsToTime(timeNs) }));
    if (this.maxSize > 0 && this.size > 0 && this.size + line.length > this.maxSize) this.rotate();
    writeSync(this.fd, line);
    this.size += line.length;
  }

  /** Logs what is left without a newline on each stream. */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.splitters[stream].flush();
      if (rest) this.log(stream, this.decoder.decode(rest));
    }
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }

  private rotate(): void {
    if (this.maxFile < 2) {
      ftruncateSync(this.fd, 0);
      this.size = 0;
      return;
    }
    closeSync(this.fd);
    for (let i = this.maxFile - 1; i > 1; i--) {
      try { renameSync(`${this.path}.${i - 1}`, `${this.path}.${i}`); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; }
    }
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, 'a', 0o640);
    this.size = 0;
  }
}

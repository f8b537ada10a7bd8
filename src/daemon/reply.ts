// What a route handler returns. A plain value is sent as JSON with 200 and `undefined` as 204;
// a Reply says more: another status, a byte stream, a stream of JSON messages, or a hijack.
import type { Readable, Writable } from 'node:stream';

/** The two directions of a hijacked connection (attach, exec start). */
export interface HijackedConn {
  /** What the client sends (stdin). Ends when the client half-closes or goes away. */
  input: Readable;
  /** Where the handler writes (raw or stdcopy-multiplexed frames). */
  output: Writable;
  /** Aborted when the client connection closes. */
  signal: AbortSignal;
  /** Ends the connection (flushing what was written). */
  close(): void;
}

export type ReplyBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'empty' }
  | { kind: 'bytes'; contentType: string; data: Buffer }
  | { kind: 'stream'; contentType: string; body: Readable | AsyncIterable<Uint8Array> }
  | { kind: 'json-stream'; contentType: string; items: AsyncIterable<unknown> }
  | { kind: 'hijack'; contentType: string; run: (conn: HijackedConn) => Promise<void> };

export class Reply {
  readonly status: number;
  readonly body: ReplyBody;
  readonly headers: Record<string, string>;
  private constructor(status: number, body: ReplyBody, headers: Record<string, string> = {}) {
    this.status = status;
    this.body = body;
    this.headers = headers;
  }

  static json(value: unknown, status = 200, headers?: Record<string, string>): Reply {
    return new Reply(status, { kind: 'json', value }, headers);
  }

  static empty(status = 204, headers?: Record<string, string>): Reply {
    return new Reply(status, { kind: 'empty' }, headers);
  }

  static bytes(data: Buffer | string, contentType: string, status = 200, headers?: Record<string, string>): Reply {
    return new Reply(status, { kind: 'bytes', contentType, data: Buffer.from(data) }, headers);
  }

  /** A byte stream (logs, export, archive, image save), sent as it is produced. */
  static stream(body: Readable | AsyncIterable<Uint8Array>, contentType: string, status = 200, headers?: Record<string, string>): Reply {
    return new Reply(status, { kind: 'stream', contentType, body }, headers);
  }

  /** One JSON document per item, each flushed as it comes (events, pull progress, stats). */
  static jsonStream(items: AsyncIterable<unknown>, contentType = 'application/json', status = 200): Reply {
    return new Reply(status, { kind: 'json-stream', contentType, items });
  }

  /**
   * Takes over the connection as Docker's attach and exec start do: `101 UPGRADED` when the
   * client asked for `Upgrade: tcp`, else `200 OK`, then raw bytes both ways.
   */
  static hijack(contentType: string, run: (conn: HijackedConn) => Promise<void>): Reply {
    return new Reply(101, { kind: 'hijack', contentType, run });
  }
}

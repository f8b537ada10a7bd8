// Where a reply goes: a node:http ServerResponse, or — for requests that asked to upgrade the
// connection — the raw socket, where we write HTTP/1.1 ourselves as Docker's hijack does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { http } from './node-http.ts';

const STATUS_CODES = http.STATUS_CODES;
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { HijackedConn } from './reply.ts';
import { httpDate } from '../sys/iso-time.ts';

export type Headers = Record<string, string | number>;

export interface Responder {
  readonly headersSent: boolean;
  /** Aborted when the client goes away before the reply is complete. */
  readonly signal: AbortSignal;
  /** A complete reply. */
  send(status: number, headers: Headers, body?: Buffer): void;
  /** Sends the head now and returns the body's sink (the caller ends it). */
  open(status: number, headers: Headers): Writable;
  hijack(headers: Headers): HijackedConn;
}

export class HttpResponder implements Responder {
  private readonly req: IncomingMessage;
  private readonly res: ServerResponse;
  private hijacked = false;
  readonly signal: AbortSignal;
  constructor(req: IncomingMessage, res: ServerResponse) {
    this.req = req;
    this.res = res;
    // The Date header without node:http's toUTCString (see sys/iso-time.ts).
    res.sendDate = false;
    res.setHeader('Date', httpDate());
    const ac = new AbortController();
    res.once('close', () => { if (!res.writableFinished) ac.abort(); });
    // The server lets a client half-close (server.ts): a hijacked stream goes on after the
    // client's FIN, but any other request is canceled at it, as Go's server cancels a request's
    // context when the client's connection closes (an events or logs -f subscription is released).
    const onEnd = () => { if (!this.hijacked) ac.abort(); };
    req.socket.once('end', onEnd);
    res.once('close', () => req.socket.off('end', onEnd));
    this.signal = ac.signal;
  }

  get headersSent(): boolean {
    return this.res.headersSent;
  }

  send(status: number, headers: Headers, body?: Buffer): void {
    if (body) headers = { ...headers, 'Content-Length': body.length };
    this.res.writeHead(status, headers);
    this.res.end(body);
  }

  open(status: number, headers: Headers): Writable {
    this.res.writeHead(status, headers);
    this.res.flushHeaders();
    return this.res;
  }

  /** Without `Upgrade: tcp` Docker answers 200 and streams raw, close-delimited. */
  hijack(headers: Headers): HijackedConn {
    this.hijacked = true;
    this.res.useChunkedEncodingByDefault = false;
    this.res.shouldKeepAlive = false;
    this.res.writeHead(200, { ...headers, Connection: 'close' });
    this.res.flushHeaders();
    const res = this.res;
    return { input: this.req, output: res, signal: this.signal, close: () => res.end() };
  }
}

function head(status: number, reason: string, headers: Headers): string {
  let s = `HTTP/1.1 ${status} ${reason}\r\n`;
  for (const [k, v] of Object.entries(headers)) s += `${k}: ${v}\r\n`;
  return `${s}\r\n`;
}

export class RawSocketResponder implements Responder {
  private readonly socket: Socket;
  private sent = false;
  readonly signal: AbortSignal;
  constructor(socket: Socket) {
    this.socket = socket;
    const ac = new AbortController();
    socket.once('close', () => ac.abort());
    this.signal = ac.signal;
  }

  get headersSent(): boolean {
    return this.sent;
  }

  send(status: number, headers: Headers, body?: Buffer): void {
    this.sent = true;
    const all = { ...headers, 'Content-Length': body?.length ?? 0, Connection: 'close', Date: httpDate() };
    this.socket.end(body ? Buffer.concat([Buffer.from(head(status, STATUS_CODES[status] ?? '', all)), body]) : head(status, STATUS_CODES[status] ?? '', all));
  }

  open(status: number, headers: Headers): Writable {
    this.sent = true;
    this.socket.write(head(status, STATUS_CODES[status] ?? '', { ...headers, Connection: 'close', Date: httpDate() }));
    return this.socket;
  }

  hijack(headers: Headers): HijackedConn {
    this.sent = true;
    this.socket.write(head(101, 'UPGRADED', { ...headers, Connection: 'Upgrade', Upgrade: 'tcp' }));
    const socket = this.socket;
    return { input: socket as Readable, output: socket, signal: this.signal, close: () => socket.end() };
  }
}

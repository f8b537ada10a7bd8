// HTTP to the daemon over a unix socket or tcp (TLS when configured): plain requests, and
// hijacked connections for attach/exec (`Upgrade: tcp`, answered by 101).
import type { Agent as HttpAgent, IncomingMessage, ClientRequest, OutgoingHttpHeaders } from 'node:http';
import { http } from './node-http.ts';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { BerthError, unavailable } from '../errors/errors.ts';
import { codeOfStatus } from '../api/error-codes.ts';
import type { DaemonAddress } from './host.ts';

export interface ClientTls { ca?: string; cert?: string; key?: string; verify: boolean }

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** An object is sent as JSON; a Readable or Buffer as is (set Content-Type in headers). */
  body?: unknown;
  headers?: OutgoingHttpHeaders;
  signal?: AbortSignal;
}

export interface Hijacked {
  /** The raw connection: write stdin, read output (raw or multiplexed, see `multiplexed`). */
  socket: Socket;
  contentType: string;
  multiplexed: boolean;
}

export function buildQuery(q: RequestOptions['query']): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined) continue;
    p.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function errorFrom(res: IncomingMessage): Promise<BerthError> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let message = text.trim() || `${res.statusCode} ${res.statusMessage ?? ''}`.trim();
  try {
    const j = JSON.parse(text) as { message?: string };
    if (typeof j.message === 'string') message = j.message;
  } catch { /* not JSON: keep the text */ }
  const err = new BerthError(codeOfStatus(res.statusCode ?? 500), message);
  (err as BerthError & { status?: number }).status = res.statusCode;
  return err;
}

export class Transport {
  readonly address: DaemonAddress;
  private readonly tlsOptions: ClientTls | undefined;
  private agent: HttpAgent | undefined;
  private https: typeof import('node:https') | undefined;

  constructor(address: DaemonAddress, tls?: ClientTls) {
    this.address = address;
    this.tlsOptions = address.kind === 'tcp' ? tls : undefined;
  }

  /** node:https (OpenSSL) is loaded only when the daemon is reached over TLS. */
  private async ready(): Promise<void> {
    if (this.agent) return;
    const t = this.tlsOptions;
    if (!t) { this.agent = new http.Agent({ keepAlive: true }); return; }
    this.https = await import('node:https');
    this.agent = new this.https.Agent({
      keepAlive: true, ca: t.ca ? readFileSync(t.ca) : undefined, cert: t.cert ? readFileSync(t.cert) : undefined,
      key: t.key ? readFileSync(t.key) : undefined, rejectUnauthorized: t.verify,
    });
  }

  private start(method: string, path: string, o: RequestOptions, extra: OutgoingHttpHeaders = {}): { req: ClientRequest; body?: Readable | Buffer } {
    const headers: OutgoingHttpHeaders = { ...extra, ...o.headers };
    let body: Readable | Buffer | undefined;
    if (o.body instanceof Readable) body = o.body;
    else if (Buffer.isBuffer(o.body)) body = o.body;
    else if (o.body !== undefined) {
      body = Buffer.from(JSON.stringify(o.body));
      headers['Content-Type'] ??= 'application/json';
    }
    if (Buffer.isBuffer(body)) headers['Content-Length'] = body.length;
    const a = this.address;
    const target = a.kind === 'unix' ? { socketPath: a.path, host: 'api.moby.localhost' } : { host: a.host, port: a.port };
    const req = (this.https?.request ?? http.request)({ ...target, method, path: path + buildQuery(o.query), headers, agent: this.agent, signal: o.signal });
    return { req, body };
  }

  private connectError(err: Error): Error {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES') {
      const why = code === 'EACCES' ? 'permission denied' : 'Is the berth daemon running?';
      return unavailable(`Cannot connect to the berth daemon at ${this.address.url}. ${why}`, err);
    }
    return err;
  }

  /** Sends a request; resolves to the response (status < 400) or rejects with the daemon's error. */
  async request(method: string, path: string, o: RequestOptions = {}): Promise<IncomingMessage> {
    await this.ready();
    return new Promise((resolve, reject) => {
      const { req, body } = this.start(method, path, o);
      req.once('error', (err) => reject(this.connectError(err)));
      req.once('response', (res) => {
        if ((res.statusCode ?? 500) >= 400) errorFrom(res).then(reject, reject);
        else resolve(res);
      });
      if (body instanceof Readable) body.pipe(req);
      else req.end(body);
    });
  }

  /** Attach / exec start: asks for `Upgrade: tcp`; resolves once the daemon answered 101. */
  async hijack(method: string, path: string, o: RequestOptions = {}): Promise<Hijacked> {
    await this.ready();
    return new Promise((resolve, reject) => {
      const { req, body } = this.start(method, path, o, { Connection: 'Upgrade', Upgrade: 'tcp' });
      req.once('error', (err) => reject(this.connectError(err)));
      req.once('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => {
        if (head.length) socket.unshift(head);
        const contentType = String(res.headers['content-type'] ?? '');
        resolve({ socket, contentType, multiplexed: contentType === 'application/vnd.docker.multiplexed-stream' });
      });
      req.once('response', (res) => {
        if ((res.statusCode ?? 500) >= 400) { errorFrom(res).then(reject, reject); return; }
        reject(new BerthError('Internal', `the daemon did not upgrade the connection (status ${res.statusCode})`));
        res.resume();
      });
      if (body instanceof Readable) body.pipe(req);
      else req.end(body);
    });
  }

  close(): void {
    this.agent?.destroy();
  }
}

export async function readBody(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

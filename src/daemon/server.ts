// The Engine API over node:http: one dispatch for plain requests and for those asking to upgrade
// the connection (attach, exec start), Docker's headers on every reply, version checks, errors.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { http } from './node-http.ts';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkApiVersion, MAX_API_VERSION, MIN_API_VERSION } from '../api/version.ts';
import { errorResponse, PAGE_NOT_FOUND } from './error-status.ts';
import type { Logger } from './logger.ts';
import { Query } from './query.ts';
import { Reply } from './reply.ts';
import { readJson, readUpgradeBody } from './request-body.ts';
import { HttpResponder, RawSocketResponder, type Headers, type Responder } from './responder.ts';
import { splitVersion, type RequestContext, type Router } from './router.ts';

export interface ApiServerOptions {
  router: Router;
  logger: Logger;
  /** berth's own version, for the `Server` header. */
  serverVersion: string;
  minApiVersion?: string;
  maxApiVersion?: string;
}

interface Incoming {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: () => Promise<Readable>;
  upgrade: boolean;
}

/** Serves the API on `server` (node:http or node:https). */
export function attachApiHandlers(server: Server, opts: ApiServerOptions): Server {
  // A client may half-close a hijacked stream when its stdin ends (docker's CloseWrite): the
  // output must go on. node:http ends the socket at the client's FIN unless this is set (upgraded
  // sockets are not affected; a hijack answered with 200, without an Upgrade header, was cut
  // short). Other requests are canceled at the FIN by HttpResponder.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  const min = opts.minApiVersion ?? MIN_API_VERSION;
  const max = opts.maxApiVersion ?? MAX_API_VERSION;
  const common: Headers = {
    'Api-Version': max,
    'Docker-Experimental': 'false',
    Ostype: 'linux',
    Server: `berth/${opts.serverVersion} (linux)`,
  };
  const log = opts.logger;

  const sendError = (r: Responder, err: unknown) => {
    const { status, message } = errorResponse(err);
    if (status >= 500) log.error(`handler error: ${message}`);
    if (r.headersSent) {
      log.debug(`error after the reply started: ${message}`);
      return;
    }
    r.send(status, { ...common, 'Content-Type': 'application/json' }, Buffer.from(JSON.stringify({ message }) + '\n'));
  };

  async function send(r: Responder, reply: Reply): Promise<void> {
    const b = reply.body;
    const h = { ...common, ...reply.headers };
    switch (b.kind) {
      case 'json':
        return r.send(reply.status, { ...h, 'Content-Type': 'application/json' }, Buffer.from(JSON.stringify(b.value) + '\n'));
      case 'empty':
        return r.send(reply.status, h);
      case 'bytes':
        return r.send(reply.status, { ...h, 'Content-Type': b.contentType }, b.data);
      case 'stream':
        return pipeline(b.body, r.open(reply.status, { ...h, 'Content-Type': b.contentType }));
      case 'json-stream': {
        const out = r.open(reply.status, { ...h, 'Content-Type': b.contentType });
        const lines = async function* () { for await (const item of b.items) yield JSON.stringify(item) + '\n'; };
        return pipeline(Readable.from(lines()), out);
      }
      case 'hijack': {
        const conn = r.hijack({ ...h, 'Content-Type': b.contentType });
        try {
          await b.run(conn);
        } finally {
          conn.close();
        }
      }
    }
  }

  async function dispatch(inc: Incoming, r: Responder): Promise<void> {
    const q = inc.url.indexOf('?');
    const rawPath = q < 0 ? inc.url : inc.url.slice(0, q);
    const { version, path } = splitVersion(rawPath);
    const match = opts.router.match(inc.method, path);
    if (!match) {
      log.debug(`${inc.method} ${inc.url} → 404`);
      return r.send(404, { ...common, 'Content-Type': 'application/json' }, Buffer.from(JSON.stringify({ message: PAGE_NOT_FOUND }) + '\n'));
    }
    const apiVersion = version ?? max;
    const bad = checkApiVersion(apiVersion, min, max);
    if (bad) return r.send(400, { ...common, 'Content-Type': 'application/json' }, Buffer.from(JSON.stringify({ message: bad }) + '\n'));
    const t0 = performance.now();
    try {
      const body = await inc.body();
      const ctx: RequestContext = {
        method: inc.method, path, params: match.params, query: new Query(q < 0 ? '' : inc.url.slice(q + 1)),
        apiVersion, headers: inc.headers, body, signal: r.signal, upgrade: inc.upgrade,
        json: <T>() => readJson<T>(body, inc.headers['content-type']),
      };
      const result = await match.handler(ctx);
      const reply = result instanceof Reply ? result : result === undefined ? Reply.empty(204) : Reply.json(result);
      log.debug(`${inc.method} ${inc.url} → ${reply.status} (${(performance.now() - t0).toFixed(1)} ms)`);
      await send(r, reply);
    } catch (err) {
      sendError(r, err);
    }
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const inc = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: async () => req, upgrade: false };
    void dispatch(inc, new HttpResponder(req, res));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', (err) => log.debug(`hijacked connection: ${err.message}`));
    const length = Number(req.headers['content-length'] ?? 0) || 0;
    const inc = {
      method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, upgrade: true,
      body: async () => Readable.from(length ? [await readUpgradeBody(socket, head, length)] : []),
    };
    if (!length && head.length) socket.unshift(head);
    void dispatch(inc, new RawSocketResponder(socket));
  });
  server.on('clientError', (err, socket) => {
    log.debug(`client error: ${err.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

export function createApiServer(opts: ApiServerOptions): Server {
  return attachApiHandlers(http.createServer({ requestTimeout: 0, headersTimeout: 60_000 }), opts);
}

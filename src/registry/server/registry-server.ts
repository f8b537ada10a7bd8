// The registry's HTTP(S) server: composition of the stores, the router, authentication,
// request logs (one JSON line per request), /healthz and /metrics.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { RegistryError } from '../protocol/errors.ts';
import { matchRoute, routeLabel, type Route } from '../protocol/routes.ts';
import { requiredAccess } from '../protocol/scope.ts';
import { Authenticator } from '../auth/authenticator.ts';
import { handleToken } from '../auth/token-endpoint.ts';
import { BlobStore } from '../storage/blob-store.ts';
import { Layout } from '../storage/layout.ts';
import { RepoStore } from '../storage/repo-store.ts';
import { UploadStore } from '../storage/upload-store.ts';
import type { RegistryConfig } from './config.ts';
import type { Ctx, Services, Upstream } from './context.ts';
import { asRegistryError, originOf, sendError, sendJson } from './http-io.ts';
import { Metrics } from './metrics.ts';
import { WriteGate } from './write-gate.ts';
import { createUpstream } from '../proxy/upstream.ts';
import { dispatch } from './router.ts';
import { isoTime } from '../../sys/iso-time.ts';

export interface RegistryServerOptions {
  config: RegistryConfig;
  /** Receives one JSON line per request; none: no request log. */
  log?: (line: string) => void;
  /** Builds the pull-through upstream from the services; default: from config.proxy when set. */
  upstream?: (services: Omit<Services, 'upstream'>) => Upstream;
}

export interface RunningRegistry {
  server: Server;
  port: number;
  url: string;
  services: Services;
  close(): Promise<void>;
}

export class RegistryServer {
  readonly services: Services;
  readonly auth: Authenticator;
  readonly metrics = new Metrics();
  private readonly log?: (line: string) => void;
  private readonly tls: boolean;

  constructor(opts: RegistryServerOptions) {
    const layout = new Layout(opts.config.root);
    const blobs = new BlobStore(layout);
    const base = {
      config: opts.config,
      blobs,
      uploads: new UploadStore(layout, blobs),
      repos: new RepoStore(layout),
      gate: new WriteGate(layout, opts.config.gcWaitMs),
    };
    const proxy = opts.config.proxy;
    this.services = { ...base, upstream: opts.upstream?.(base) ?? (proxy ? createUpstream(proxy, base) : undefined) };
    this.auth = new Authenticator(opts.config.auth);
    this.log = opts.log;
    this.tls = opts.config.tls !== undefined;
  }

  /** Listens on host:port (port 0: any free port). */
  async listen(host: string, port: number): Promise<RunningRegistry> {
    await mkdir(this.services.config.root, { recursive: true });
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    const tls = this.services.config.tls;
    const server: Server = tls ? createHttpsServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key) }, handler) : createHttpServer(handler);
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const addr = server.address() as AddressInfo;
    const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return {
      server,
      port: addr.port,
      url: `${tls ? 'https' : 'http'}://${shownHost}:${addr.port}`,
      services: this.services,
      close: async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await this.services.upstream?.idle?.();
      },
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://registry');
    // Routes match the path as sent: URL parsing would resolve `..` segments before the
    // name check could refuse them.
    const rawPath = (req.url ?? '/').split('?')[0];
    let route: Route | undefined;
    const socket = req.socket;
    const remote = socket.remoteAddress;
    const readAtStart = socket.bytesRead;
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    let account: string | undefined;
    let failure: RegistryError | undefined;
    try {
      if (url.pathname === '/healthz' || url.pathname === '/debug/health') return await this.health(res);
      if (url.pathname === '/metrics') {
        const text = this.metrics.render({ uploadsInProgress: this.services.uploads.inProgress });
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      if (url.pathname === '/token' && this.auth.mode === 'token') return await handleToken(req, res, url, this.auth);
      route = matchRoute(rawPath);
      if (route.kind === 'invalid-name') throw new RegistryError('NAME_INVALID', `invalid repository name ${route.name}`, { detail: { name: route.name } });
      if (route.kind === 'not-found') throw new RegistryError('UNSUPPORTED', `no such endpoint ${url.pathname}`, { status: 404 });
      const caller = this.auth.authorize(req, requiredAccess(route, req.method ?? 'GET'), originOf(req, this.tls));
      account = caller.account;
      const ctx: Ctx = {
        req, res, url, route, services: this.services, signal: abort.signal,
        canPull: (name) => caller.may({ type: 'repository', name, actions: ['pull'] }),
      };
      await dispatch(ctx);
    } catch (err) {
      failure = asRegistryError(err);
      if (!abort.signal.aborted) sendError(req, res, failure);
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const label = route ? routeLabel(route) : url.pathname.replace(/^\/+/, '') || 'root';
      const finish = () => {
        const received = socket.bytesRead - readAtStart;
        const sent = Number(res.getHeader('Content-Length') ?? 0);
        this.metrics.observe(req.method ?? '', label, res.statusCode, seconds, sent, received);
        this.log?.(JSON.stringify({
          time: isoTime(), remote, method: req.method, path: url.pathname,
          route: label, status: res.statusCode, bytesIn: received, bytesOut: sent, ms: Math.round(seconds * 1000 * 100) / 100,
          account, error: failure?.code, message: failure && failure.status >= 500 ? failure.message : undefined,
        }));
      };
      // A client that closes the connection as soon as it has the body (curl) can make the
      // response emit 'close' before this point: then log now, never wait for it.
      if (res.writableFinished || res.closed) finish(); else res.once('close', finish);
    }
  }

  private async health(res: ServerResponse): Promise<void> {
    try {
      await access(this.services.config.root, constants.W_OK);
      sendJson(res, 200, { status: 'ok', gc: this.services.gate.locked() ? 'running' : 'idle' });
    } catch (err) {
      sendJson(res, 503, { status: 'unavailable', detail: String(err) });
    }
  }
}

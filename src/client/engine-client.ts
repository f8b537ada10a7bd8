// The Engine API client that the berth CLI and compose use: version negotiation through
// /_ping as Docker's client does, JSON calls by endpoint descriptor, streams and hijacks.
import type { IncomingMessage } from 'node:http';
import { endpoint, endpointPath, type EndpointName } from '../api/endpoints.ts';
import { encodeFilters } from '../api/filters.ts';
import type { EventMessage, Filters, SystemInfo, VersionResponse } from '../api/system-types.ts';
import { MAX_API_VERSION, MIN_API_VERSION, negotiateVersion, versionLess } from '../api/version.ts';
import { invalidArgument } from '../errors/errors.ts';
import { parseDaemonHost } from './host.ts';
import { readJsonLines } from './json-lines.ts';
import { readBody, Transport, type ClientTls, type Hijacked, type RequestOptions } from './transport.ts';

export interface EngineClientOptions {
  /** DOCKER_HOST-style address; default unix:///run/berth/berth.sock. */
  host?: string;
  /** A fixed API version (DOCKER_API_VERSION); otherwise negotiated on first use. */
  version?: string;
  tls?: ClientTls;
}

export interface PingResult { apiVersion?: string; osType?: string; experimental: boolean; builderVersion?: string }

export interface CallOptions extends RequestOptions { params?: Record<string, string> }

export class EngineClient {
  readonly transport: Transport;
  private version: string | undefined;
  private negotiating: Promise<string> | undefined;

  constructor(opts: EngineClientOptions = {}) {
    this.transport = new Transport(parseDaemonHost(opts.host, opts.tls !== undefined), opts.tls);
    if (opts.version !== undefined) {
      if (!/^\d+\.\d+$/.test(opts.version)) throw invalidArgument(`invalid API version ${JSON.stringify(opts.version)}`);
      this.version = opts.version;
    }
  }

  /** Unversioned ping: HEAD first, GET when the daemon refuses HEAD (as Docker's client). */
  async ping(signal?: AbortSignal): Promise<PingResult> {
    let res: IncomingMessage;
    try {
      res = await this.transport.request('HEAD', '/_ping', { signal });
    } catch (err) {
      if ((err as { status?: number }).status === undefined) throw err;
      res = await this.transport.request('GET', '/_ping', { signal });
    }
    res.resume();
    const h = res.headers;
    return {
      apiVersion: h['api-version'] as string | undefined, osType: h.ostype as string | undefined,
      experimental: h['docker-experimental'] === 'true', builderVersion: h['builder-version'] as string | undefined,
    };
  }

  /** The API version requests use: pinned, or min(ours, the daemon's) after one ping. */
  async apiVersion(): Promise<string> {
    if (this.version) return this.version;
    this.negotiating ??= this.ping().then((p) => {
      let v = negotiateVersion(MAX_API_VERSION, p.apiVersion);
      if (versionLess(v, MIN_API_VERSION)) v = MIN_API_VERSION;
      this.version = v;
      return v;
    }, (err: unknown) => { this.negotiating = undefined; throw err; });
    return this.negotiating;
  }

  private async path(p: string): Promise<string> {
    return `/v${await this.apiVersion()}${p}`;
  }

  /** A raw request on a versioned path; the response is open for the caller to read. */
  async request(method: string, path: string, o: RequestOptions = {}): Promise<IncomingMessage> {
    return this.transport.request(method, await this.path(path), o);
  }

  /** JSON in, JSON out (undefined for empty bodies such as 204). */
  async json<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, o);
    const buf = await readBody(res);
    return (buf.length ? JSON.parse(buf.toString('utf8')) : undefined) as T;
  }

  /** A call by api/endpoints descriptor: `call('ContainerInspect', { params: { id } })`. */
  async call<T = unknown>(name: EndpointName, o: CallOptions = {}): Promise<T> {
    const ep = endpoint(name);
    return this.json<T>(ep.method, endpointPath(ep, o.params), o);
  }

  /** Same, returning the open response (logs, export, progress streams). */
  async stream(name: EndpointName, o: CallOptions = {}): Promise<IncomingMessage> {
    const ep = endpoint(name);
    return this.request(ep.method, endpointPath(ep, o.params), o);
  }

  /** Attach / exec start: the hijacked connection. */
  async hijack(name: EndpointName, o: CallOptions = {}): Promise<Hijacked> {
    const ep = endpoint(name);
    return this.transport.hijack(ep.method, await this.path(endpointPath(ep, o.params)), o);
  }

  serverVersion(): Promise<VersionResponse> {
    return this.call<VersionResponse>('SystemVersion');
  }

  info(): Promise<SystemInfo> {
    return this.call<SystemInfo>('SystemInfo');
  }

  /** GET /events: since/until as Docker's `seconds[.nanos]` strings; ends with `until` or `signal`. */
  async *events(o: { since?: string; until?: string; filters?: Filters; signal?: AbortSignal } = {}): AsyncGenerator<EventMessage> {
    const res = await this.stream('SystemEvents', {
      query: { since: o.since, until: o.until, filters: o.filters ? encodeFilters(o.filters) : undefined }, signal: o.signal,
    });
    try {
      yield* readJsonLines<EventMessage>(res);
    } finally {
      res.destroy();
    }
  }

  close(): void {
    this.transport.close();
  }
}

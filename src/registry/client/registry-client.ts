// OCI distribution client over http-fetch.ts (node:http/https): manifests (OCI index, Docker list, schema2, OCI manifest)
// with platform choice, blobs streamed with Range resume after a dropped connection, retries
// with exponential backoff for idempotent requests (network errors, 429, 5xx), auth through
// Authorizer. Pulls try the endpoints from resolver.ts in order (mirrors first for docker.io);
// pushes go to the registry itself (push.ts).
import { createHash } from 'node:crypto';
import { BerthError, notFound, unavailable, wrap } from '../../errors/errors.ts';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST, bareMediaType } from '../protocol/media-types.ts';
import { Authorizer, type Fetch } from './auth.ts';
import { httpFetch, type HttpResponse } from './http-fetch.ts';
import type { CredentialSource } from './credentials.ts';
import { selectManifest, type IndexEntry, type Platform } from './platform.ts';
import { endpointsFor, type Endpoint, type RegistryHosts } from './resolver.ts';
import { afterOffset } from './after-offset.ts';

export const MANIFEST_ACCEPT = [OCI_INDEX, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST, OCI_MANIFEST].join(', ');

export interface Repo {
  /** Reference domain: docker.io, localhost:5000, … */
  domain: string;
  /** Repository path: library/busybox. */
  path: string;
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
  endpoint: Endpoint;
}

export interface ClientOptions {
  hosts?: RegistryHosts;
  credentials?: CredentialSource;
  fetch?: Fetch;
  /** Attempts per request (default 5). */
  attempts?: number;
  /** First backoff delay in ms (doubles each time, default 200). */
  backoffMs?: number;
  userAgent?: string;
}

export interface RequestInit2 {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string | AsyncIterable<Uint8Array>;
  /** Actions for the repository scope (default pull). */
  actions?: string;
  /** Extra scopes (cross-repo mount source). */
  extraScopes?: string[];
  signal?: AbortSignal;
  /** Retry on failure (default: true unless the body is a stream). */
  retry?: boolean;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});

const retriable = (status: number) => status === 429 || status >= 500;

export class RegistryClient {
  readonly hosts: RegistryHosts;
  readonly #fetch: Fetch;
  readonly #auth: Authorizer;
  readonly #attempts: number;
  readonly #backoff: number;
  readonly #ua: string;
  /** HTTPS base URLs of insecure endpoints that could not be reached: their plain-HTTP fallback is used. */
  readonly #plain = new Set<string>();

  constructor(opts: ClientOptions = {}) {
    this.hosts = opts.hosts ?? {};
    this.#fetch = opts.fetch ?? httpFetch;
    this.#auth = new Authorizer(opts.credentials, this.#fetch);
    this.#attempts = opts.attempts ?? 5;
    this.#backoff = opts.backoffMs ?? 200;
    this.#ua = opts.userAgent ?? 'berth/0.1';
  }

  endpoints(repo: Repo): Endpoint[] {
    return endpointsFor(repo.domain, this.hosts);
  }

  /** The base URL requests to `ep` go to now (its plain-HTTP fallback once HTTPS failed). */
  base(ep: Endpoint): string {
    return ep.fallback && this.#plain.has(ep.url) ? ep.fallback : ep.url;
  }

  /**
   * One HTTP exchange. An insecure endpoint still on HTTPS that cannot be reached (connection or
   * TLS failure, e.g. a plain-HTTP server) is tried again at once over HTTP, as Docker does, and
   * stays on HTTP for this client when that answers.
   */
  async #send(ep: Endpoint, url: string, init: Parameters<Fetch>[1] & {}): Promise<HttpResponse> {
    const onHttps = ep.fallback !== undefined && !this.#plain.has(ep.url) && url.startsWith(`${ep.url}/`);
    try {
      return await this.#fetch(url, init);
    } catch (e) {
      const streamed = typeof init.body === 'object' && init.body !== null && Symbol.asyncIterator in init.body;
      if (!onHttps || streamed || init.signal?.aborted) throw e;
      const res = await this.#fetch(ep.fallback + url.slice(ep.url.length), init);
      this.#plain.add(ep.url);
      return res;
    }
  }

  /** The upstream registry of a repository (where pushes go). */
  upstream(repo: Repo): Endpoint {
    return this.endpoints(repo).at(-1)!;
  }

  /** One request with auth and retries; the caller consumes or cancels the body. */
  async request(ep: Endpoint, path: string, pathOrUrl: string, init: RequestInit2 = {}): Promise<HttpResponse> {
    const scopes = [`repository:${path}:${init.actions ?? 'pull'}`, ...(init.extraScopes ?? [])];
    let url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${ep.url}${pathOrUrl}`;
    const canRetry = init.retry ?? !(init.body && typeof init.body === 'object' && Symbol.asyncIterator in init.body);
    let lastErr: unknown;
    for (let attempt = 0; attempt < (canRetry ? this.#attempts : 1); attempt++) {
      if (attempt > 0) await sleep(this.#backoff * 2 ** (attempt - 1), init.signal);
      try {
        let authed = false;
        for (;;) {
          const headers: Record<string, string> = { 'user-agent': this.#ua, ...init.headers };
          const a = this.#auth.cached(ep.host, scopes);
          if (a) headers.authorization = a;
          if (ep.fallback && this.#plain.has(ep.url) && url.startsWith(`${ep.url}/`)) url = ep.fallback + url.slice(ep.url.length);
          const res = await this.#send(ep, url, {
            method: init.method ?? 'GET', headers, body: init.body, signal: init.signal, redirect: 'follow', insecureTls: ep.insecure,
          });
          if (res.status === 401 && !authed && res.headers.get('www-authenticate')) {
            await res.body?.cancel();
            this.#auth.forget(ep.host, scopes);
            await this.#auth.answer(ep.host, res.headers.get('www-authenticate')!, scopes, init.signal, ep.insecure);
            authed = true;
            if (init.body && typeof init.body === 'object' && Symbol.asyncIterator in init.body) {
              throw new BerthError('Unauthenticated', 'streamed request body cannot be replayed after authentication');
            }
            continue;
          }
          if (res.status === 401) {
            const text = await res.text();
            throw new BerthError('Unauthenticated', `${ep.host}: unauthorized: ${text.slice(0, 300)}`);
          }
          if (retriable(res.status) && canRetry && attempt < this.#attempts - 1) {
            lastErr = unavailable(`${ep.host}: ${init.method ?? 'GET'} ${url}: ${res.status}`);
            await res.body?.cancel();
            break;
          }
          return res;
        }
      } catch (e) {
        if (e instanceof BerthError || init.signal?.aborted) throw e;
        lastErr = e;
      }
    }
    throw unavailable(`${ep.host}: ${init.method ?? 'GET'} ${url}: ${(lastErr as Error)?.message ?? lastErr}`, lastErr);
  }

  /** A manifest or index by tag or digest, from the first endpoint that has it. */
  async getManifest(repo: Repo, reference: string, opts: { signal?: AbortSignal; endpoints?: Endpoint[] } = {}): Promise<FetchedManifest> {
    let last: unknown;
    for (const ep of opts.endpoints ?? this.endpoints(repo)) {
      try {
        const res = await this.request(ep, repo.path, `/v2/${repo.path}/manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT }, signal: opts.signal });
        if (res.status === 404) {
          await res.body?.cancel();
          last = notFound(`manifest for ${repo.domain}/${repo.path}:${reference} not found: manifest unknown`);
          continue;
        }
        if (!res.ok) throw unavailable(`${ep.host}: GET manifest ${reference}: ${res.status} ${(await res.text()).slice(0, 300)}`);
        const bytes = Buffer.from(await res.arrayBuffer());
        const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
        if (reference.startsWith('sha256:') && reference !== digest) throw unavailable(`${ep.host}: manifest digest mismatch: asked ${reference}, got ${digest}`);
        let mediaType = bareMediaType(res.headers.get('content-type') ?? '');
        const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; manifests?: unknown };
        if (parsed.mediaType) mediaType = parsed.mediaType;
        else if (![OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST].includes(mediaType)) mediaType = parsed.manifests ? OCI_INDEX : OCI_MANIFEST;
        return { bytes, mediaType, digest, endpoint: ep };
      } catch (e) {
        last = e;
        if (e instanceof BerthError && e.code === 'Unauthenticated' && !ep.mirror) throw e;
      }
    }
    throw last instanceof BerthError ? last : wrap(`fetch manifest ${repo.path}:${reference}`, last);
  }

  /**
   * Resolves a tag or digest to one image manifest: an index or list is narrowed to `platform`.
   * `index` is the list's own manifest when there was one.
   */
  async resolve(repo: Repo, reference: string, platform: Platform, opts: { signal?: AbortSignal } = {}): Promise<{ manifest: FetchedManifest; index?: FetchedManifest }> {
    const top = await this.getManifest(repo, reference, opts);
    if (top.mediaType !== OCI_INDEX && top.mediaType !== DOCKER_MANIFEST_LIST) return { manifest: top };
    const list = JSON.parse(top.bytes.toString('utf8')) as { manifests: IndexEntry[] };
    const entry = selectManifest(list.manifests, platform);
    const manifest = await this.getManifest(repo, entry.digest, { ...opts, endpoints: [top.endpoint, ...this.endpoints(repo).filter((e) => e !== top.endpoint)] });
    return { manifest, index: top };
  }

  /**
   * A blob as a stream. A connection dropped mid-body is resumed with `Range: bytes=N-` (a server
   * answering 200 instead has its first N bytes skipped); failures are retried with backoff.
   */
  async *blob(repo: Repo, digest: string, opts: { size?: number; signal?: AbortSignal; endpoints?: Endpoint[] } = {}): AsyncGenerator<Uint8Array> {
    const eps = opts.endpoints ?? this.endpoints(repo);
    let got = 0;
    let failures = 0;
    let epIndex = 0;
    for (;;) {
      const ep = eps[epIndex];
      let res: HttpResponse;
      try {
        res = await this.request(ep, repo.path, `/v2/${repo.path}/blobs/${digest}`, { headers: got ? { range: `bytes=${got}-` } : {}, signal: opts.signal });
      } catch (e) {
        if (epIndex < eps.length - 1 && got === 0) { epIndex++; continue; }
        throw e;
      }
      if (!res.ok) {
        const text = await res.text();
        if (epIndex < eps.length - 1 && got === 0) { epIndex++; continue; }
        if (res.status === 404) throw notFound(`blob ${digest} not found in ${repo.path}`);
        throw unavailable(`${ep.host}: GET blob ${digest}: ${res.status} ${text.slice(0, 200)}`);
      }
      const skip = got > 0 && res.status === 200 ? got : 0;
      try {
        for await (const c of afterOffset(res.body!, skip)) {
          got += c.length;
          failures = 0;
          yield c;
        }
        if (opts.size !== undefined && got < opts.size) throw new Error(`connection closed after ${got} of ${opts.size} bytes`);
        return;
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        if (++failures >= this.#attempts) throw unavailable(`GET blob ${digest}: ${(e as Error).message}`, e);
        await sleep(this.#backoff * 2 ** (failures - 1), opts.signal);
      }
    }
  }

  async hasBlob(repo: Repo, digest: string, ep = this.upstream(repo), actions = 'pull'): Promise<boolean> {
    const res = await this.request(ep, repo.path, `/v2/${repo.path}/blobs/${digest}`, { method: 'HEAD', actions });
    await res.body?.cancel();
    return res.ok;
  }

  /** Tags of a repository (all pages). */
  async tags(repo: Repo): Promise<string[]> {
    const ep = this.upstream(repo);
    const out: string[] = [];
    let next: string | undefined = `/v2/${repo.path}/tags/list?n=1000`;
    while (next) {
      const res = await this.request(ep, repo.path, next);
      if (res.status === 404) { await res.body?.cancel(); throw notFound(`repository ${repo.path} not found`); }
      const body = (await res.json()) as { tags?: string[] };
      out.push(...(body.tags ?? []));
      const link = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
      next = link ? link[1] : undefined;
    }
    return out;
  }
}

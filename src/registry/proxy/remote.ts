// The upstream registry of the pull-through cache, at one fixed URL: manifest HEAD/GET, blob GET
// with Range resume, and tag lists, over the berth registry client (bearer and basic auth,
// retries). Errors are BerthErrors: NotFound when the upstream answers 404, Unavailable when it
// cannot be reached or fails, Unauthenticated when it refuses our credentials.
import { BerthError, notFound, unavailable } from '../../errors/errors.ts';
import { MANIFEST_ACCEPT, RegistryClient, type FetchedManifest } from '../client/registry-client.ts';
import type { Fetch } from '../client/auth.ts';
import type { HttpResponse } from '../client/http-fetch.ts';
import type { Endpoint } from '../client/resolver.ts';
import { afterOffset } from '../client/after-offset.ts';

export const DOCKER_HUB_URL = 'https://registry-1.docker.io';

export interface RemoteOptions {
  url?: string;
  username?: string;
  password?: string;
  fetch?: Fetch;
  /** Attempts of requests whose failure has a local fallback (tag checks; default 1). */
  checkAttempts?: number;
  /** How long a tag check may take before the cached tag is served (default 5 s). */
  checkTimeoutMs?: number;
}

export interface RemoteBlob {
  /** From Content-Length; undefined when the upstream does not say. */
  size?: number;
  body: AsyncIterable<Uint8Array>;
}

const timeoutSignal = (ms: number, signal?: AbortSignal): AbortSignal =>
  signal ? AbortSignal.any([signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms);

export class Remote {
  readonly endpoint: Endpoint;
  readonly #client: RegistryClient;
  readonly #check: RegistryClient;
  readonly #checkTimeoutMs: number;

  constructor(opts: RemoteOptions = {}) {
    const url = (opts.url ?? DOCKER_HUB_URL).replace(/\/+$/, '');
    const host = url.replace(/^https?:\/\//, '');
    this.endpoint = { host, url, mirror: false };
    const credentials = {
      get: async (h: string) => (h === host && opts.username !== undefined ? { username: opts.username, password: opts.password ?? '' } : undefined),
    };
    const ua = 'berth-registry-proxy/0.1';
    this.#client = new RegistryClient({ credentials, fetch: opts.fetch, userAgent: ua, attempts: 3, backoffMs: 200 });
    this.#check = new RegistryClient({ credentials, fetch: opts.fetch, userAgent: ua, attempts: opts.checkAttempts ?? 1 });
    this.#checkTimeoutMs = opts.checkTimeoutMs ?? 5000;
  }

  /** The digest a tag points at upstream (HEAD; Docker Hub does not count it as a pull). */
  async headManifest(name: string, reference: string, signal?: AbortSignal): Promise<string | undefined> {
    const res = await this.#check.request(this.endpoint, name, `/v2/${name}/manifests/${reference}`, {
      method: 'HEAD', headers: { accept: MANIFEST_ACCEPT }, signal: timeoutSignal(this.#checkTimeoutMs, signal),
    });
    await res.body?.cancel();
    if (res.status === 404) throw notFound(`upstream has no manifest ${name}:${reference}`);
    if (!res.ok) throw unavailable(`upstream HEAD manifest ${name}:${reference}: ${res.status}`);
    return res.headers.get('docker-content-digest') ?? undefined;
  }

  /** A manifest with its bytes checked against a digest reference (the client does). */
  async getManifest(name: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    return this.#client.getManifest({ domain: this.endpoint.host, path: name }, reference, { signal, endpoints: [this.endpoint] });
  }

  /** Size of a blob upstream, undefined when it has none. */
  async statBlob(name: string, digest: string, signal?: AbortSignal): Promise<number | undefined> {
    const res = await this.#client.request(this.endpoint, name, `/v2/${name}/blobs/${digest}`, { method: 'HEAD', signal });
    await res.body?.cancel();
    if (res.status === 404) return undefined;
    if (!res.ok) throw unavailable(`upstream HEAD blob ${digest}: ${res.status}`);
    const len = res.headers.get('content-length');
    return len === null ? undefined : Number(len);
  }

  /**
   * A blob's body from its start; a connection dropped mid-body is resumed with `Range` (a 200
   * answer instead of 206 has its first bytes skipped). Undefined when the upstream lacks it.
   */
  async getBlob(name: string, digest: string, signal?: AbortSignal): Promise<RemoteBlob | undefined> {
    const path = `/v2/${name}/blobs/${digest}`;
    const first = await this.#client.request(this.endpoint, name, path, { signal });
    if (first.status === 404) {
      await first.body?.cancel();
      return undefined;
    }
    if (!first.ok) {
      const text = await first.text();
      throw unavailable(`upstream GET blob ${digest}: ${first.status} ${text.slice(0, 200)}`);
    }
    const len = first.headers.get('content-length');
    const size = len === null ? undefined : Number(len);
    const client = this.#client;
    const endpoint = this.endpoint;
    async function* body(): AsyncGenerator<Uint8Array> {
      let res: HttpResponse = first;
      let got = 0;
      for (let failures = 0; ; ) {
        const skip = got > 0 && res.status === 200 ? got : 0;
        try {
          for await (const c of afterOffset(res.body!, skip)) {
            got += c.length;
            failures = 0;
            yield c;
          }
          if (size === undefined || got >= size) return;
          throw new Error(`connection closed after ${got} of ${size} bytes`);
        } catch (e) {
          if (signal?.aborted || ++failures >= 3) throw e instanceof BerthError ? e : unavailable(`upstream GET blob ${digest}: ${(e as Error).message}`, e);
          res = await client.request(endpoint, name, path, { headers: { range: `bytes=${got}-` }, signal });
          if (!res.ok) {
            await res.body?.cancel();
            throw unavailable(`upstream GET blob ${digest} (resume at ${got}): ${res.status}`);
          }
        }
      }
    }
    return { size, body: body() };
  }

  /** One page of the upstream's tag list, with the same `n`/`last`; undefined on 404. */
  async tags(name: string, query: string, signal?: AbortSignal): Promise<{ tags: string[]; link?: string } | undefined> {
    const res = await this.#check.request(this.endpoint, name, `/v2/${name}/tags/list${query}`, { signal: timeoutSignal(this.#checkTimeoutMs, signal) });
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw unavailable(`upstream tags list ${name}: ${res.status}`);
    }
    const body = (await res.json()) as { tags?: string[] | null };
    return { tags: body.tags ?? [], link: res.headers.get('link') ?? undefined };
  }
}

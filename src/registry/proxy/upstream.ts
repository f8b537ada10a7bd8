// Pull-through cache of an upstream registry (distribution's `proxy:` mode). Reads the local
// store lacks are fetched from the upstream, verified by digest and stored; blobs stream to the
// client while they are stored, one download per digest however many clients ask. A tag is
// checked upstream (HEAD) on each read — or once per `tagTtlSeconds` when set — and the cached
// one is served when the upstream cannot be reached.
import { isCode } from '../../errors/errors.ts';
import { RegistryError } from '../protocol/errors.ts';
import { parseManifest } from '../protocol/manifest.ts';
import { looksLikeDigest } from '../protocol/reference.ts';
import type { ProxyConfig } from '../server/config.ts';
import type { Services, Upstream, UpstreamBlob } from '../server/context.ts';
import { BlobFetch } from './blob-fetch.ts';
import { Remote, type RemoteOptions } from './remote.ts';

type Base = Omit<Services, 'upstream'>;

/** A BerthError from the upstream as the error our client gets (NotFound is the caller's). */
function asRegistryError(err: unknown, host: string): RegistryError {
  if (err instanceof RegistryError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (isCode(err, 'Unauthenticated')) {
    return new RegistryError('DENIED', `upstream ${host} refused access (the repository may not exist or may need other credentials): ${msg}`);
  }
  return new RegistryError('UNAVAILABLE', `upstream ${host}: ${msg}`);
}

const notFound = (err: unknown) => isCode(err, 'NotFound');

export class ProxyUpstream implements Upstream {
  readonly remote: Remote;
  readonly #s: Base;
  readonly #tagTtlMs: number;
  /** When each `name:tag` was last confirmed upstream (only with a tag TTL). */
  readonly #checked = new Map<string, number>();
  readonly #inflight = new Map<string, Promise<BlobFetch | undefined>>();
  readonly #now: () => number;

  constructor(config: ProxyConfig, services: Base, opts: Pick<RemoteOptions, 'fetch' | 'checkTimeoutMs'> & { now?: () => number } = {}) {
    this.remote = new Remote({ url: config.remoteUrl, username: config.username, password: config.password, ...opts });
    this.#s = services;
    this.#tagTtlMs = (config.tagTtlSeconds ?? 0) * 1000;
    this.#now = opts.now ?? Date.now;
  }

  get host(): string { return this.remote.endpoint.host; }

  async #haveManifest(name: string, digest: string | undefined): Promise<boolean> {
    return digest !== undefined && (await this.#s.repos.getRevision(name, digest)) !== undefined && (await this.#s.blobs.stat(digest)) !== undefined;
  }

  async #store(name: string, bytes: Buffer, mediaType: string, digest: string, tag: string | undefined, signal: AbortSignal): Promise<void> {
    const { blobs, repos, gate } = this.#s;
    await gate.enter(signal);
    const info = await blobs.put(bytes, digest.split(':')[0]);
    if (info.digest !== digest) throw new RegistryError('DIGEST_INVALID', `upstream manifest ${digest} stored as ${info.digest}`);
    await repos.putRevision(name, { digest, mediaType });
    try {
      const parsed = parseManifest(bytes.toString('utf8'), mediaType);
      if (parsed.subject) await repos.addReferrer(name, parsed.subject.digest, { mediaType, digest, size: bytes.length });
    } catch { /* a manifest we cannot parse is still served as the upstream gave it */ }
    if (tag) await repos.tag(name, tag, digest);
  }

  async fetchManifest(name: string, reference: string, signal: AbortSignal): Promise<void> {
    if (looksLikeDigest(reference)) {
      if (await this.#haveManifest(name, reference)) return;
      try {
        const m = await this.remote.getManifest(name, reference, signal);
        await this.#store(name, m.bytes, m.mediaType, m.digest, undefined, signal);
      } catch (err) {
        if (!notFound(err)) throw asRegistryError(err, this.host);
      }
      return;
    }
    const { repos } = this.#s;
    const key = `${name}:${reference}`;
    const local = await repos.resolveTag(name, reference);
    const cached = await this.#haveManifest(name, local);
    if (cached && this.#tagTtlMs > 0 && this.#now() - (this.#checked.get(key) ?? -Infinity) < this.#tagTtlMs) return;
    let upstreamDigest: string | undefined;
    try {
      upstreamDigest = await this.remote.headManifest(name, reference, signal);
    } catch (err) {
      // distribution's rule: whatever went wrong upstream, a cached tag is served.
      if (cached || notFound(err)) return;
      throw asRegistryError(err, this.host);
    }
    if (upstreamDigest && upstreamDigest === local && cached) {
      this.#checked.set(key, this.#now());
      return;
    }
    if (upstreamDigest && (await this.#haveManifest(name, upstreamDigest))) {
      await repos.tag(name, reference, upstreamDigest);
      this.#checked.set(key, this.#now());
      return;
    }
    try {
      const m = await this.remote.getManifest(name, reference, signal);
      await this.#store(name, m.bytes, m.mediaType, m.digest, reference, signal);
      this.#checked.set(key, this.#now());
    } catch (err) {
      if (cached || notFound(err)) return;
      throw asRegistryError(err, this.host);
    }
  }

  async statBlob(name: string, digest: string, signal: AbortSignal): Promise<{ size?: number } | undefined> {
    const local = await this.#s.blobs.stat(digest);
    try {
      const size = await this.remote.statBlob(name, digest, signal);
      if (size === undefined) return undefined;
      if (local) await this.#s.repos.linkBlob(name, digest);
      return { size: local?.size ?? size };
    } catch (err) {
      if (local) return { size: local.size };
      throw asRegistryError(err, this.host);
    }
  }

  async openBlob(name: string, digest: string, signal: AbortSignal): Promise<UpstreamBlob | undefined> {
    const { blobs, repos } = this.#s;
    const local = await blobs.stat(digest);
    if (local) {
      // Stored for another repository: the upstream must still grant it to this one.
      const granted = await this.statBlob(name, digest, signal);
      if (!granted) return undefined;
      return { size: local.size, stream: (range) => blobs.read(digest, range) };
    }
    let pending = this.#inflight.get(digest);
    if (!pending) {
      pending = this.#start(name, digest);
      this.#inflight.set(digest, pending);
      const clear = () => { if (this.#inflight.get(digest) === pending) this.#inflight.delete(digest); };
      pending.then((f) => (f ? f.done.then(clear, clear) : clear()), clear);
    }
    let fetch: BlobFetch | undefined;
    try {
      fetch = await pending;
    } catch (err) {
      throw asRegistryError(err, this.host);
    }
    if (!fetch) return undefined;
    this.#track(fetch.done.then(() => repos.linkBlob(name, digest)).catch(() => {}));
    const f = fetch;
    return { size: f.size, stream: (range) => f.reader(blobs, range) };
  }

  /** Background work of the cache (a download going on after its first reader, the link into
   *  the repository after it): close() waits for it rather than leave it writing. */
  readonly #background = new Set<Promise<unknown>>();
  #track(p: Promise<unknown>): void {
    this.#background.add(p);
    void p.finally(() => this.#background.delete(p));
  }

  async idle(): Promise<void> {
    while (this.#background.size) await Promise.allSettled([...this.#background]);
  }

  async #start(name: string, digest: string): Promise<BlobFetch | undefined> {
    // Not tied to the first client's request: if it goes away, the download goes on for the
    // cache and for whoever else is reading it.
    const remote = await this.remote.getBlob(name, digest).catch((err) => {
      if (notFound(err)) return undefined;
      throw err;
    });
    if (!remote) return undefined;
    return BlobFetch.start({ digest, size: remote.size, body: remote.body, blobs: this.#s.blobs, beforeCommit: () => this.#s.gate.enter() });
  }

  async tags(name: string, query: string, signal: AbortSignal): Promise<{ tags: string[]; link?: string } | undefined> {
    try {
      return await this.remote.tags(name, query, signal);
    } catch {
      return undefined; // unreachable or refused: the cached tags answer
    }
  }
}

export function createUpstream(config: ProxyConfig, services: Base): Upstream {
  return new ProxyUpstream(config, services);
}

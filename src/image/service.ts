// The image service: pull/push through the registry client, the local stores (content, metadata,
// snapshots), load/save/import, tag/remove/prune, gc and df. Layout under `root`:
//   content/blobs/sha256/<hex>   every manifest, config and (compressed, as pulled) layer blob
//   metadata.db                  images, tags, repo digests, chains, layer blobs (SQLite, WAL)
//   snapshots/<n>/fs             one unpacked dir per chain id; snapshots/metadata.db
// Compressed layers are kept after unpacking (as Docker does) because push and save need them.
import { invalidArgument, notFound } from '../errors/errors.ts';
import { ContentStore } from './content/content-store.ts';
import { MetadataStore, type ImageRecord } from './metadata/metadata-store.ts';
import { OverlaySnapshotter, diskUsage } from './snapshot/snapshotter.ts';
import { chainIds, chainId } from './snapshot/chain-id.ts';
import type { Mount } from './snapshot/mount.ts';
import { parseDockerRef, parseNormalizedNamed, referenceName, type Reference } from './reference/reference.ts';
import type { RegistryClient } from '../registry/client/registry-client.ts';
import { hostPlatform, type Platform } from '../registry/client/platform.ts';
import { join } from 'node:path';
import type { ServiceParts } from './service/parts.ts';
// Pull/push (the registry client, zlib, tar), load/save/import/commit and gc are imported when
// first used: an idle daemon never loads them (lower RSS).
import type { PullProgress } from './service/pull.ts';
import type { PushOptions } from './service/push.ts';
import type { GcResult } from './service/gc.ts';
import { toHistory, toInspect, familiar, type HistoryItem, type ImageInspect, type ImageSummary } from './service/inspect.ts';
import type { ImportOptions } from './service/import.ts';
import type { CommitOptions } from './service/commit.ts';
import type { ImageConfig } from './service/types.ts';
import { removeImage, type RemoveResult, type ImageUser } from './service/remove.ts';

export interface ImageServiceOptions {
  root: string;
  /** The registry client, or a function making it when first needed (default: a plain client). */
  client?: RegistryClient | (() => RegistryClient | Promise<RegistryClient>);
  /** Says whether a container uses the image (rmi conflicts, prune). */
  inUse?: (imageId: string) => boolean;
  platform?: Platform;
}

export type { RemoveResult, ImageUser };

export interface DiskUsage {
  images: { id: string; size: number; sharedSize: number; uniqueSize: number; repoTags: string[] }[];
  /** Unpacked snapshots (committed layers), as du counts snapshots/<n>. */
  layersSize: number;
  /** content/blobs, as du counts it. */
  contentSize: number;
  /** The bytes gc could free now. */
  reclaimable: number;
}

export class ImageService {
  readonly parts: ServiceParts;
  readonly platform: Platform;
  readonly #inUse: (id: string) => boolean;
  #client: RegistryClient | Promise<RegistryClient> | (() => RegistryClient | Promise<RegistryClient>) | undefined;

  constructor(opts: ImageServiceOptions) {
    this.parts = {
      root: opts.root,
      content: new ContentStore(opts.root),
      meta: new MetadataStore(join(opts.root, 'metadata.db')),
      snapshots: new OverlaySnapshotter(opts.root),
      inflight: new Map(),
    };
    this.#client = opts.client;
    this.platform = opts.platform ?? hostPlatform(process.arch);
    this.#inUse = opts.inUse ?? (() => false);
  }

  /** The service's registry client, made (and its module loaded) on first use. */
  async registryClient(): Promise<RegistryClient> {
    if (typeof this.#client === 'function') this.#client = this.#client();
    this.#client ??= import('../registry/client/registry-client.ts').then((m) => new m.RegistryClient());
    return (this.#client = await this.#client);
  }

  close(): void {
    this.parts.meta.close();
    this.parts.snapshots.close();
  }

  /** An image id from an id, a short id, `name[:tag]` or `name@digest`. */
  resolve(nameOrId: string): string {
    const { meta } = this.parts;
    const hex = /^(?:sha256:)?([a-f0-9]{1,64})$/.exec(nameOrId);
    if (hex?.[1].length === 64 && meta.getImage(`sha256:${hex[1]}`)) return `sha256:${hex[1]}`;
    let ref: Reference | undefined;
    try { ref = parseNormalizedNamed(nameOrId); } catch { /* maybe an id */ }
    if (ref) {
      const name = referenceName(ref);
      const id = ref.digest ? meta.digestTarget(`${name}@${ref.digest}`) : meta.tagTarget(`${name}:${ref.tag ?? 'latest'}`);
      if (id) return id;
    }
    if (hex) {
      const hits = meta.images().filter((i) => i.id.startsWith(`sha256:${hex[1]}`));
      if (hits.length === 1) return hits[0].id;
      if (hits.length > 1) throw invalidArgument(`ambiguous image id prefix: ${nameOrId}`);
    }
    // Docker names the reference with its implied tag: "No such image: busybox:latest".
    const shown = ref && !ref.digest && !ref.tag && !/:[^/]*$/.test(nameOrId) ? `${nameOrId}:latest` : nameOrId;
    throw notFound(`No such image: ${shown}`);
  }

  record(id: string): ImageRecord {
    const r = this.parts.meta.getImage(id);
    if (!r) throw notFound(`No such image: ${id}`);
    return r;
  }

  async config(id: string): Promise<ImageConfig> {
    // Content-addressed, so never stale: each `docker create` asks for it.
    let text = this.#configs.get(id);
    if (text === undefined) {
      text = (await this.parts.content.read(id)).toString('utf8');
      if (this.#configs.size >= 64) this.#configs.delete(this.#configs.keys().next().value!);
      this.#configs.set(id, text);
    }
    return JSON.parse(text) as ImageConfig;
  }
  readonly #configs = new Map<string, string>();

  /** `client` replaces the service's own for this call (the daemon's per-request credentials). */
  async pull(ref: string, opts: { platform?: Platform; onProgress?: (p: PullProgress) => void; signal?: AbortSignal; client?: RegistryClient } = {}): Promise<string> {
    const { pull } = await import('./service/pull.ts');
    return pull(this.parts, opts.client ?? (await this.registryClient()), parseDockerRef(ref), { platform: opts.platform ?? this.platform, onProgress: opts.onProgress, signal: opts.signal });
  }

  async push(ref: string, opts: PushOptions & { client?: RegistryClient } = {}): Promise<string> {
    const r = parseDockerRef(ref);
    const id = this.resolve(ref);
    const { push } = await import('./service/push.ts');
    return push(this.parts, opts.client ?? (await this.registryClient()), r, id, opts);
  }

  async list(opts: { all?: boolean; dangling?: boolean; reference?: string } = {}): Promise<ImageSummary[]> {
    const { meta } = this.parts;
    const out: ImageSummary[] = [];
    for (const r of meta.images()) {
      const tags = meta.tagsOf(r.id);
      if (opts.dangling !== undefined && (tags.length === 0) !== opts.dangling) continue;
      if (opts.reference && !tags.some((t) => familiar(t).startsWith(opts.reference!) || t.includes(opts.reference!))) continue;
      const cfg = await this.config(r.id).catch(() => undefined);
      out.push({
        Id: r.id, ParentId: r.parent, RepoTags: tags.map(familiar), RepoDigests: meta.digestsOf(r.id).map(familiar),
        Created: Math.floor(Date.parse(r.created) / 1000), Size: r.size, SharedSize: -1, Labels: cfg?.config?.Labels ?? {}, Containers: -1,
      });
    }
    return out;
  }

  async inspect(nameOrId: string): Promise<ImageInspect> {
    const id = this.resolve(nameOrId);
    const r = this.record(id);
    const cfg = await this.config(id);
    const top = chainId(cfg.rootfs.diff_ids);
    let graph: Record<string, string> | null = null;
    if (top && this.parts.snapshots.exists(top)) {
      const p = this.parts.snapshots.paths(top);
      graph = { MergedDir: '', UpperDir: p.upper, WorkDir: p.work, ...(p.lowers.length ? { LowerDir: p.lowers.join(':') } : {}) };
    }
    const size = (await this.parts.content.info(r.manifestDigest))?.size ?? 0;
    return toInspect(r, cfg, this.parts.meta.tagsOf(id), this.parts.meta.digestsOf(id), graph, size);
  }

  async history(nameOrId: string): Promise<HistoryItem[]> {
    const id = this.resolve(nameOrId);
    const cfg = await this.config(id);
    const sizes = chainIds(cfg.rootfs.diff_ids).map((c) => this.parts.meta.getChain(c)?.size ?? 0);
    return toHistory(id, cfg, this.parts.meta.tagsOf(id), sizes);
  }

  tag(source: string, target: string): void {
    const id = this.resolve(source);
    const r = parseDockerRef(target);
    if (r.digest) throw invalidArgument('refusing to create a tag with a digest reference');
    this.parts.meta.setTag(`${referenceName(r)}:${r.tag}`, id);
  }

  /**
   * `docker rmi`: untag a name; delete when no reference is left (or by id). `users` are the
   * containers using the image (their ids go into Docker's conflict messages); without them the
   * `inUse` option says whether some stopped container does.
   */
  async remove(nameOrId: string, opts: { force?: boolean; noPrune?: boolean; users?: ImageUser[] } = {}): Promise<RemoveResult[]> {
    const id = this.resolve(nameOrId);
    const users = opts.users ?? (this.#inUse(id) ? [{ id: '', running: false }] : []);
    const out = removeImage(this.parts.meta, { name: nameOrId, id, force: opts.force ?? false, users });
    if (!opts.noPrune && out.some((r) => r.Deleted)) await this.gc();
    return out;
  }

  /**
   * `docker image prune`: dangling images (all unused ones with `all`) not used by containers,
   * narrowed by `filter` (the label/until filters) when given.
   */
  async prune(opts: { all?: boolean; filter?: (id: string) => boolean } = {}): Promise<{ ImagesDeleted: RemoveResult[]; SpaceReclaimed: number }> {
    const deleted: RemoveResult[] = [];
    for (const r of this.parts.meta.images()) {
      if (this.#inUse(r.id)) continue;
      if (opts.filter && !opts.filter(r.id)) continue;
      if (!opts.all && this.parts.meta.tagsOf(r.id).length > 0) continue;
      deleted.push(...(await this.remove(r.id, { force: true, noPrune: true })));
    }
    const gc = await this.gc();
    return { ImagesDeleted: deleted, SpaceReclaimed: gc.bytesFreed };
  }

  async gc(): Promise<GcResult> {
    const { collectGarbage } = await import('./service/gc.ts');
    return collectGarbage(this.parts);
  }

  async df(): Promise<DiskUsage> {
    const { meta, snapshots } = this.parts;
    const users = new Map<string, number>();
    const imgs: { r: ImageRecord; chains: string[] }[] = [];
    for (const r of meta.images()) {
      const cfg = await this.config(r.id).catch(() => undefined);
      const chains = cfg ? chainIds(cfg.rootfs.diff_ids) : [];
      imgs.push({ r, chains });
      for (const c of chains) users.set(c, (users.get(c) ?? 0) + 1);
    }
    let layersSize = 0;
    for (const s of snapshots.list()) layersSize += snapshots.usage(s.key).size;
    const images = imgs.map(({ r, chains }) => {
      const sizes = chains.map((c) => meta.getChain(c)?.size ?? 0);
      const shared = chains.reduce((a, c, i) => a + ((users.get(c) ?? 0) > 1 ? sizes[i] : 0), 0);
      return { id: r.id, size: r.size, sharedSize: shared, uniqueSize: r.size - shared, repoTags: meta.tagsOf(r.id).map(familiar) };
    });
    const contentSize = diskUsage(join(this.parts.root, 'content', 'blobs')).size;
    const reclaimable = imgs.filter(({ r }) => !this.#inUse(r.id)).reduce((a, { r }) => a + r.size, 0);
    return { images, layersSize, contentSize, reclaimable };
  }

  /** A writable snapshot for a container on the image's top layer. */
  async prepareRootfs(key: string, nameOrId: string): Promise<Mount[]> {
    const cfg = await this.config(this.resolve(nameOrId));
    return this.parts.snapshots.prepare(key, chainId(cfg.rootfs.diff_ids));
  }

  async load(archive: AsyncIterable<Uint8Array>, opts: { onProgress?: (msg: string) => void } = {}): Promise<string[]> {
    const { loadArchive } = await import('./service/archive-load.ts');
    return loadArchive(this.parts, archive, this.platform, opts);
  }

  save(names: string[]): AsyncGenerator<Uint8Array> {
    const refs = names.map((n) => ({ id: this.resolve(n), name: n }));
    const parts = this.parts;
    return (async function* save() {
      const { saveArchive } = await import('./service/archive-save.ts');
      yield* saveArchive(parts, refs);
    })();
  }

  /** docker commit: `layer` (an uncompressed tar of a container's changes) on its image. */
  async commit(layer: AsyncIterable<Uint8Array>, opts: CommitOptions): Promise<string> {
    const { commitImage } = await import('./service/commit.ts');
    return commitImage(this.parts, layer, opts);
  }

  async import(source: AsyncIterable<Uint8Array>, opts: ImportOptions = {}): Promise<string> {
    const { importRootfs } = await import('./service/import.ts');
    return importRootfs(this.parts, source, { platform: this.platform, ...opts });
  }
}

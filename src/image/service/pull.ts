// pull: resolve the reference (index → platform manifest), fetch the config, then every missing
// layer is downloaded, teed into the content store (kept: push needs the compressed blobs) and
// streamed through decompression into its snapshot in the same pass; nothing is buffered whole.
import { detach, release, releasable } from '../layer/input-release.ts';
import { invalidArgument, notImplemented } from '../../errors/errors.ts';
import type { IngestWriter } from '../content/content-store.ts';
import { type Platform } from '../../registry/client/platform.ts';
import type { RegistryClient } from '../../registry/client/registry-client.ts';
import { referenceName, type Reference } from '../reference/reference.ts';
import type { ServiceParts } from './parts.ts';
import { isIndex, isNonDistributable, MT, type ImageConfig, type ImageManifest } from './types.ts';
import { unpackLayers, type LayerSource } from './unpack.ts';
import { recordImage } from './record.ts';

export interface PullProgress {
  id: string;
  status: 'Pulling fs layer' | 'Already exists' | 'Downloading' | 'Download complete' | 'Pull complete' | 'Digest' | 'Status';
  current?: number;
  total?: number;
  detail?: string;
}

export interface PullOptions {
  platform: Platform;
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
}

/**
 * Passes the download on in ~1 MiB batches (the socket delivers 16-64 KiB pieces; bigger ones make
 * the decompress → tar → file chain much cheaper) while writing each batch to the content store,
 * one write in flight at a time, so the disk write overlaps decompression. A batch made here is
 * freed once both the write and the decompressor are done with it (input-release.ts).
 */
async function* tee(src: AsyncIterable<Uint8Array>, w: IngestWriter, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let seen = 0;
  const take = async (): Promise<Uint8Array> => {
    const made = pending.length > 1;
    const batch = made ? Buffer.concat(pending) : pending[0];
    // The socket's pieces are copied: the ones that own their memory (a whole read's buffer) are
    // freed now rather than at a collection, which a thread that allocates few objects (the
    // worker path) only reaches tens of MiB later.
    if (made) pending.forEach(detach);
    pending = [];
    pendingBytes = 0;
    await inFlight;
    if (made) releasable(batch, 2, () => detach(batch));
    inFlight = w.write(batch).then(() => release(batch));
    inFlight.catch(() => {});
    return batch;
  };
  for await (const c of src) {
    pending.push(c);
    pendingBytes += c.length;
    seen += c.length;
    if (pendingBytes >= 1 << 20) {
      onBytes(seen);
      yield await take();
    }
  }
  if (pendingBytes) yield await take();
  onBytes(seen);
  await inFlight;
  // The unpack may still be busy with the last bytes: the blob's fsync runs meanwhile.
  w.sync().catch(() => {});
}

export async function pull(parts: ServiceParts, client: RegistryClient, ref: Reference, opts: PullOptions): Promise<string> {
  const repo = { domain: ref.domain, path: ref.path };
  const progress = opts.onProgress ?? (() => {});
  const { manifest, index } = await client.resolve(repo, ref.digest ?? ref.tag ?? 'latest', opts.platform, { signal: opts.signal });
  if (isIndex(manifest.mediaType)) throw invalidArgument('pull: nested index');
  const m = JSON.parse(manifest.bytes.toString('utf8')) as ImageManifest;
  if (m.schemaVersion !== 2 || !m.config) throw notImplemented(`pull: unsupported manifest (${manifest.mediaType})`);
  const eps = [manifest.endpoint, ...client.endpoints(repo).filter((e) => e !== manifest.endpoint)];
  await parts.content.put(manifest.bytes);
  await parts.content.ingest(() => client.blob(repo, m.config.digest, { size: m.config.size, signal: opts.signal, endpoints: eps }), { digest: m.config.digest, size: m.config.size });
  const config = JSON.parse((await parts.content.read(m.config.digest)).toString('utf8')) as ImageConfig;
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== m.layers.length) throw invalidArgument(`pull: config has ${diffIds.length} diff ids for ${m.layers.length} layers`);
  const source = `${repo.domain}/${repo.path}`;

  const layers: LayerSource[] = m.layers.map((l, i) => {
    const id = l.digest.slice(7, 19);
    let w: IngestWriter | undefined;
    return {
      diffId: diffIds[i],
      size: l.size,
      onExists: () => progress({ id, status: 'Already exists' }),
      onStart: () => progress({ id, status: 'Pulling fs layer' }),
      open: () => {
        const self = (async function* () {
          if (await parts.content.has(l.digest)) {
            yield* parts.content.reader(l.digest);
            return;
          }
          w = await parts.content.writer({ digest: l.digest, size: l.size });
          let last = 0;
          yield* tee(client.blob(repo, l.digest, { size: l.size, signal: opts.signal, endpoints: eps }), w, (n) => {
            if (n - last >= 512 * 1024 || n === l.size) { last = n; progress({ id, status: 'Downloading', current: n, total: l.size }); }
          });
        })();
        return self;
      },
      done: async () => {
        if (w) await w.commit();
        progress({ id, status: 'Pull complete' });
      },
      abort: async () => { await w?.abort(); },
    };
  });
  await unpackLayers({ snapshots: parts.snapshots, meta: parts.meta, inflight: parts.inflight, signal: opts.signal }, layers);
  // A layer can be unpacked without its blob (kept by a container after its image was removed):
  // push and save need the blob, so it is fetched without unpacking it again.
  for (const l of m.layers) {
    if (isNonDistributable(l.mediaType) || (await parts.content.has(l.digest))) continue;
    await parts.content.ingest(() => client.blob(repo, l.digest, { size: l.size, signal: opts.signal, endpoints: eps }), { digest: l.digest, size: l.size });
  }
  for (const [i, l] of m.layers.entries()) {
    if (await parts.content.has(l.digest)) parts.meta.addLayerBlob({ diffId: diffIds[i], digest: l.digest, mediaType: l.mediaType, size: l.size, source });
  }
  const name = referenceName(ref);
  const repoDigest = `${name}@${index?.digest ?? manifest.digest}`;
  const id = recordImage(parts, { configDigest: m.config.digest, config, manifestDigest: manifest.digest, manifestMediaType: m.mediaType ?? manifest.mediaType ?? MT.ociManifest, tags: ref.tag && !ref.digest ? [`${name}:${ref.tag}`] : [], repoDigests: [repoDigest] });
  progress({ id: '', status: 'Digest', detail: `Digest: ${index?.digest ?? manifest.digest}` });
  return id;
}

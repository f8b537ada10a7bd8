// docker commit: a container's changes (an uncompressed layer tar of its upper dir) on top of
// its image, as a new image: the layer stored and unpacked on the parent's chain, the config
// and history extended, the manifest written, the image recorded (and tagged).
import { withUncompressed } from '../layer/decompress.ts';
import { unpackLayers } from './unpack.ts';
import { recordImage } from './record.ts';
import { MT, type ImageConfig, type ImageManifest, type ContainerConfig } from './types.ts';
import { parseDockerRef, referenceName } from '../reference/reference.ts';
import type { ServiceParts } from './parts.ts';
import { invalidArgument } from '../../errors/errors.ts';
import { isoTime } from '../../sys/iso-time.ts';

export interface CommitOptions {
  parentId: string;
  ref?: string;
  /** The new image's runtime config (the container's, with --change applied by the caller). */
  config: ContainerConfig;
  comment?: string;
  author?: string;
  createdBy?: string;
}

export async function commitImage(parts: ServiceParts, layer: AsyncIterable<Uint8Array>, opts: CommitOptions): Promise<string> {
  const parent = JSON.parse((await parts.content.read(opts.parentId)).toString('utf8')) as ImageConfig;
  const parentManifest = parts.meta.getImage(opts.parentId);
  const blob = await parts.content.ingest(layer);
  const { diffID } = await withUncompressed(parts.content.reader(blob.digest), async (s) => { for await (const _ of s) { /* hash */ } });
  const diffIds = [...parent.rootfs.diff_ids, diffID];
  await unpackLayers({ snapshots: parts.snapshots, meta: parts.meta, inflight: parts.inflight }, diffIds.map((d, i) => ({
    diffId: d,
    open: () => {
      if (i < diffIds.length - 1) throw invalidArgument(`commit: parent layer ${d} is not unpacked`);
      return parts.content.reader(blob.digest);
    },
  })));
  parts.meta.addLayerBlob({ diffId: diffID, digest: blob.digest, mediaType: MT.ociLayer, size: blob.size, source: '' });
  const now = isoTime();
  const config: ImageConfig = {
    ...parent, created: now, config: opts.config,
    ...(opts.author ? { author: opts.author } : {}),
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: [...(parent.history ?? []), { created: now, created_by: opts.createdBy ?? '', ...(opts.comment ? { comment: opts.comment } : {}) }],
  };
  const cfg = await parts.content.put(JSON.stringify(config));
  const layers = [];
  if (parentManifest) {
    const pm = JSON.parse((await parts.content.read(parentManifest.manifestDigest)).toString('utf8')) as ImageManifest;
    layers.push(...pm.layers);
  }
  layers.push({ mediaType: MT.ociLayer, digest: blob.digest, size: blob.size });
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MT.ociManifest, config: { mediaType: MT.ociConfig, digest: cfg.digest, size: cfg.size }, layers };
  const man = await parts.content.put(JSON.stringify(manifest));
  let tags: string[] = [];
  if (opts.ref) {
    const r = parseDockerRef(opts.ref);
    if (r.digest) throw invalidArgument('commit: a digest reference cannot be a tag');
    tags = [`${referenceName(r)}:${r.tag}`];
  }
  return recordImage(parts, { configDigest: cfg.digest, config, manifestDigest: man.digest, manifestMediaType: MT.ociManifest, tags, repoDigests: [], parent: opts.parentId });
}

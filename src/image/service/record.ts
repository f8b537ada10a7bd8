// Records an image whose layers are unpacked: the image row, its tags and repo digests.
import { chainIds } from '../snapshot/chain-id.ts';
import type { ServiceParts } from './parts.ts';
import type { ImageConfig } from './types.ts';
import { isoTime } from '../../sys/iso-time.ts';

export interface NewImage {
  configDigest: string;
  config: ImageConfig;
  manifestDigest: string;
  manifestMediaType: string;
  tags: string[];
  repoDigests: string[];
  parent?: string;
}

/** Sum of the unpacked sizes of the image's chains. */
export function imageSize(parts: ServiceParts, diffIds: string[]): number {
  let size = 0;
  for (const c of chainIds(diffIds)) size += parts.meta.getChain(c)?.size ?? 0;
  return size;
}

export function recordImage(parts: ServiceParts, img: NewImage): string {
  const id = img.configDigest;
  parts.meta.tx(() => {
    parts.meta.putImage({
      id, manifestDigest: img.manifestDigest, manifestMediaType: img.manifestMediaType,
      created: img.config.created ?? isoTime(0), size: imageSize(parts, img.config.rootfs.diff_ids),
      parent: img.parent ?? '', lastTagTime: '',
    });
    for (const d of img.repoDigests) parts.meta.addDigest(d, id);
  });
  for (const t of img.tags) parts.meta.setTag(t, id);
  return id;
}

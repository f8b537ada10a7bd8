// Garbage collection: blobs and snapshots that no image (and no container snapshot) references
// are removed, so disk space really comes back. Roots: every image's manifest, config and layer
// blobs, its chain ids, and the parents of every active or view snapshot that is not an
// interrupted unpack (`extract-…`, removed too).
import { chainIds } from '../snapshot/chain-id.ts';
import type { ServiceParts } from './parts.ts';
import type { ImageConfig, ImageManifest } from './types.ts';

export interface GcResult {
  blobsRemoved: number;
  snapshotsRemoved: number;
  bytesFreed: number;
}

export async function collectGarbage(parts: ServiceParts): Promise<GcResult> {
  const { content, meta, snapshots } = parts;
  const blobs = new Set<string>();
  const chains = new Set<string>();
  for (const img of meta.images()) {
    blobs.add(img.manifestDigest);
    blobs.add(img.id);
    try {
      const m = JSON.parse((await content.read(img.manifestDigest)).toString('utf8')) as ImageManifest;
      for (const l of m.layers) blobs.add(l.digest);
    } catch { /* manifest missing: keep what else is known */ }
    try {
      const cfg = JSON.parse((await content.read(img.id)).toString('utf8')) as ImageConfig;
      for (const c of chainIds(cfg.rootfs.diff_ids)) chains.add(c);
    } catch { /* config missing */ }
  }
  if (parts.inflight.size > 0) for (const c of parts.inflight.keys()) chains.add(c);
  const all = snapshots.list();
  const byKey = new Map(all.map((s) => [s.key, s]));
  for (const s of all) {
    if (s.kind === 'committed' || (s.key.startsWith('extract-') && parts.inflight.size === 0)) continue;
    for (let p = s.parent; p; p = byKey.get(p)?.parent ?? '') chains.add(p);
    chains.add(s.key);
  }
  let bytesFreed = 0;
  let snapshotsRemoved = 0;
  // Children before parents: highest ids first (a child is always created after its parent... except
  // for re-parented commits, so loop until nothing more can go).
  for (let progress = true; progress; ) {
    progress = false;
    for (const s of snapshots.list().reverse()) {
      if (chains.has(s.key) || snapshots.refcount(s.key) > 0) continue;
      bytesFreed += snapshots.usage(s.key).size;
      await snapshots.remove(s.key);
      if (s.kind === 'committed') meta.deleteChain(s.key);
      snapshotsRemoved++;
      progress = true;
    }
  }
  let blobsRemoved = 0;
  if (parts.inflight.size === 0) {
    for (const b of await content.list()) {
      if (blobs.has(b.digest)) continue;
      const st = await content.info(b.digest);
      bytesFreed += st ? Math.ceil(st.size / 4096) * 4096 : 0;
      await content.delete(b.digest);
      meta.deleteLayerBlob(b.digest);
      blobsRemoved++;
    }
  }
  return { blobsRemoved, snapshotsRemoved, bytesFreed };
}

// GET /system/df in Docker's shape: LayersSize (the unpacked layers, as du counts them), Images
// with SharedSize and their container counts, Containers with SizeRw (their upper dirs) and
// SizeRootFs, Volumes and BuildCache (berth has neither yet: empty).
import type { Router } from '../router.ts';
import type { Engine } from '../engine.ts';
import { summaryView } from './container-views.ts';

export function registerSystemDfRoute(router: Router, engine: Engine): void {
  router.add('GET', '/system/df', async () => {
    const df = await engine.images.df();
    const listed = new Map((await engine.images.list()).map((i) => [i.Id, i]));
    const counts = new Map<string, number>();
    const records = [...engine.containers.records.values()];
    for (const r of records) counts.set(r.Image, (counts.get(r.Image) ?? 0) + 1);
    const now = Date.now();
    const sizes = new Map(df.images.map((i) => [i.id, i]));
    const snapshots = engine.images.parts.snapshots;
    return {
      LayersSize: df.layersSize,
      Images: [...listed.values()].map((i) => ({ ...i, SharedSize: sizes.get(i.Id)?.sharedSize ?? 0, Containers: counts.get(i.Id) ?? 0 })),
      Containers: records.sort((a, b) => (a.Created < b.Created ? 1 : a.Created > b.Created ? -1 : 0)).map((r) => {
        let sizeRw = 0;
        try { sizeRw = snapshots.usage(`container-${r.ID}`).size; } catch { /* no snapshot (removed or never made) */ }
        return { ...summaryView(r, now), SizeRw: sizeRw, SizeRootFs: sizeRw + (listed.get(r.Image)?.Size ?? 0) };
      }),
      Volumes: await engine.volumes.usage(),
      BuildCache: [],
    };
  });
}

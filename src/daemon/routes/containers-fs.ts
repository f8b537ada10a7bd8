// A container's filesystem over the API: export (the whole rootfs as a tar) and changes (docker
// diff, from the overlay upper dir).
import type { Router } from '../router.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import { rootfsChanges } from '../../container/service/rootfs-changes.ts';

export function registerContainerFsRoutes(router: Router, engine: Engine): void {
  const c = engine.containers;

  router.add('GET', '/containers/{id}/export', (ctx) => {
    const rec = c.get(ctx.params.id);
    // The tar is produced while the rootfs is mounted; the mount ends with the stream.
    async function* tar(): AsyncGenerator<Uint8Array> {
      const { dir, release } = await c.acquireRootfs(rec.ID);
      try {
        const { diffLayer } = await import('../../image/layer/diff.ts');
        yield* diffLayer(dir, { xattrs: 'capability' });
      } finally {
        await release();
      }
    }
    return Reply.stream(tar(), 'application/x-tar');
  });

  router.add('GET', '/containers/{id}/changes', async (ctx) => {
    const rec = c.get(ctx.params.id);
    const changes = await rootfsChanges(rec.Snapshot?.mounts ?? []);
    return changes.length ? changes : null;
  });
}

// docker cp over the API: HEAD (stat in X-Docker-Container-Path-Stat), GET (tar) and PUT
// (extract) of /containers/{id}/archive?path=. A running container's paths resolve through its
// mounts; stopped containers get their rootfs mounted for the call.
import type { Router } from '../router.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import { invalidArgument } from '../../errors/errors.ts';
import { mountPointsOf } from '../../container/service/volume-mounts.ts';
import type { HostOf } from '../../container/service/archive.ts';

// The tar code is loaded on the first docker cp (an idle daemon does without it).
const archive = () => import('../../container/service/archive.ts');
const statHeader = (s: object) => ({ 'X-Docker-Container-Path-Stat': Buffer.from(JSON.stringify(s)).toString('base64') });

export function registerArchiveRoutes(router: Router, engine: Engine): void {
  const c = engine.containers;
  const pathOf = (q: { string(k: string): string | undefined }) => {
    const p = q.string('path');
    if (!p) throw invalidArgument('Bad parameters: path must not be empty');
    return p;
  };
  // Paths resolve through the container's mounts (volumes, binds), as dockerd's do: a running
  // container's as its processes see them (reads through /proc/PID/root, tmpfs included; writes
  // into the mount's source or the rootfs), a stopped one's in its rootfs mounted for the call.
  const hostOf = async (ref: string, write: boolean): Promise<{ hostOf: HostOf; release: () => Promise<void> }> => {
    const rec = c.get(ref);
    const { scopedIn, throughMounts } = await archive();
    const mounts = mountPointsOf(rec);
    const { dir, release } = await c.acquireRootfs(rec.ID); // running: no mount, its rootfs dir
    if (!rec.State.Running || rec.State.Pid <= 0) return { hostOf: throughMounts(dir, dir, mounts, false), release };
    const root = `/proc/${rec.State.Pid}/root`;
    return { hostOf: write ? throughMounts(root, dir, mounts, true) : scopedIn(root), release };
  };

  router.add('HEAD', '/containers/{id}/archive', async (ctx) => {
    const { statPath } = await archive();
    const { hostOf: at, release } = await hostOf(ctx.params.id, false);
    try {
      return Reply.empty(200, statHeader(statPath(at, pathOf(ctx.query), ctx.params.id)));
    } finally {
      await release();
    }
  });

  router.add('GET', '/containers/{id}/archive', async (ctx) => {
    const path = pathOf(ctx.query);
    const { readArchive } = await archive();
    const { hostOf: at, release } = await hostOf(ctx.params.id, false);
    let out;
    try {
      out = readArchive(at, path, ctx.params.id);
    } catch (e) {
      await release();
      throw e;
    }
    const tar = out.tar;
    async function* body(): AsyncGenerator<Uint8Array> {
      try { yield* tar; } finally { await release(); }
    }
    return Reply.stream(body(), 'application/x-tar', 200, statHeader(out.stat));
  });

  router.add('PUT', '/containers/{id}/archive', async (ctx) => {
    const path = pathOf(ctx.query);
    const rec = c.get(ctx.params.id);
    const { writeArchive, checkWritable } = await archive();
    checkWritable(mountPointsOf(rec), rec.HostConfig.ReadonlyRootfs ?? false, path);
    const { hostOf: at, release } = await hostOf(rec.ID, true);
    try {
      await writeArchive(at, path, ctx.body, ctx.params.id);
    } finally {
      await release();
    }
    return Reply.empty(200);
  });
}

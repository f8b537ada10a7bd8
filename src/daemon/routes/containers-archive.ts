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
  // into the mount's source or the rootfs, or into a tmpfs through its clone in our namespace),
  // a stopped one's in its rootfs mounted for the call.
  const hostOf = async (ref: string, write?: string): Promise<{ hostOf: HostOf; release: () => Promise<void> }> => {
    const rec = c.get(ref);
    const { scopedIn, throughMounts, tmpfsOf, tmpfsKey } = await archive();
    // --tmpfs mounts (HostConfig.Tmpfs) are no mount points of the record, but paths under them
    // are the tmpfs's all the same.
    const tmpfsFlags = Object.keys(rec.HostConfig.Tmpfs ?? {}).map((d) => ({ Type: 'tmpfs', Source: '', Destination: d, RW: true }));
    const mounts = [...mountPointsOf(rec), ...tmpfsFlags];
    const { dir, release } = await c.acquireRootfs(rec.ID); // running: no mount, its rootfs dir
    if (!rec.State.Running || rec.State.Pid <= 0) return { hostOf: throughMounts(dir, dir, mounts, false), release };
    const root = `/proc/${rec.State.Pid}/root`;
    if (write === undefined) return { hostOf: scopedIn(root), release };
    let tmpfs;
    try {
      tmpfs = tmpfsOf(root, mounts, write);
    } catch { /* a bad path: the write reports it */ }
    if (!tmpfs) return { hostOf: throughMounts(root, dir, mounts, true), release };
    const clone = await engine.cloneTmpfs(rec.State.Pid, tmpfs.Destination).catch(async (e: unknown) => { await release(); throw e; });
    return {
      hostOf: throughMounts(root, dir, mounts, true, new Map([[tmpfsKey(tmpfs.Destination), clone.dir]])),
      release: async () => { try { await clone.release(); } finally { await release(); } },
    };
  };

  router.add('HEAD', '/containers/{id}/archive', async (ctx) => {
    const { statPath } = await archive();
    const { hostOf: at, release } = await hostOf(ctx.params.id);
    try {
      return Reply.empty(200, statHeader(statPath(at, pathOf(ctx.query), ctx.params.id)));
    } finally {
      await release();
    }
  });

  router.add('GET', '/containers/{id}/archive', async (ctx) => {
    const path = pathOf(ctx.query);
    const { readArchive } = await archive();
    const { hostOf: at, release } = await hostOf(ctx.params.id);
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
    const { hostOf: at, release } = await hostOf(rec.ID, path.endsWith('/') ? path : `${path}/`);
    try {
      await writeArchive(at, path, ctx.body, ctx.params.id);
    } finally {
      await release();
    }
    return Reply.empty(200);
  });
}

// docker cp over the API: HEAD (stat in X-Docker-Container-Path-Stat), GET (tar) and PUT
// (extract) of /containers/{id}/archive?path=. Stopped containers get their rootfs mounted for
// the call.
import type { Router } from '../router.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import { invalidArgument } from '../../errors/errors.ts';

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

  router.add('HEAD', '/containers/{id}/archive', async (ctx) => {
    const { statPath } = await archive();
    const { dir, release } = await c.acquireRootfs(ctx.params.id);
    try {
      return Reply.empty(200, statHeader(statPath(dir, pathOf(ctx.query), ctx.params.id)));
    } finally {
      await release();
    }
  });

  router.add('GET', '/containers/{id}/archive', async (ctx) => {
    const path = pathOf(ctx.query);
    const { readArchive } = await archive();
    const { dir, release } = await c.acquireRootfs(ctx.params.id);
    let out;
    try {
      out = readArchive(dir, path, ctx.params.id);
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
    if (rec.HostConfig.ReadonlyRootfs) throw invalidArgument('container rootfs is marked read-only');
    const { writeArchive } = await archive();
    const { dir, release } = await c.acquireRootfs(rec.ID);
    try {
      await writeArchive(dir, path, ctx.body, ctx.params.id);
    } finally {
      await release();
    }
    return Reply.empty(200);
  });
}

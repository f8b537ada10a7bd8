// docker commit: POST /commit — the container's overlay upper dir as a new layer on its image,
// with the container's config (overridden by the request body, then `changes`).
import type { Router } from '../router.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import { overlayDirs } from '../../container/service/rootfs-changes.ts';
import type { ContainerConfig } from '../../image/service/types.ts';
import { invalidArgument, failedPrecondition } from '../../errors/errors.ts';

export function registerCommitRoute(router: Router, engine: Engine): void {
  router.add('POST', '/commit', async (ctx) => {
    const ref = ctx.query.string('container');
    if (!ref) throw invalidArgument('No such container: ');
    const rec = engine.containers.get(ref);
    const { upper } = overlayDirs(rec.Snapshot?.mounts ?? []);
    if (!upper) throw failedPrecondition(`container ${rec.ID} has no writable layer to commit`);
    const body = (await ctx.json<ContainerConfig>()) ?? {};
    const { Image: _i, Hostname: _h, Domainname: _d, AttachStdin: _a, AttachStdout: _o, AttachStderr: _e, ...keep } = rec.Config as ContainerConfig & Record<string, unknown>;
    const [{ diffLayer }, { applyChanges }] = await Promise.all([import('../../image/layer/diff.ts'), import('../../image/service/import.ts')]);
    const config = applyChanges({ ...keep, ...body } as ContainerConfig, ctx.query.all('changes'));
    const repo = ctx.query.string('repo');
    const tag = ctx.query.string('tag');
    const pause = ctx.query.bool('pause', true) && rec.State.Running && !rec.State.Paused;
    if (pause) await engine.containers.pause(rec.ID);
    try {
      const id = await engine.images.commit(diffLayer(upper), {
        parentId: rec.Image, config, ref: repo ? `${repo}:${tag || 'latest'}` : undefined,
        comment: ctx.query.string('comment'), author: ctx.query.string('author'),
        createdBy: [rec.Path, ...rec.Args].join(' '),
      });
      return Reply.json({ Id: id }, 201);
    } finally {
      if (pause) await engine.containers.unpause(rec.ID).catch(() => {});
    }
  });
}

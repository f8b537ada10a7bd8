// Volume routes of the Engine API: list, create, inspect, remove, prune — Docker's JSON shapes
// (volume.Volume, ListResponse, PruneReport) and error texts (`get x: no such volume`).
import type { Router } from '../router.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import type { CreateRequest } from '../../volume/volume-service.ts';

export function registerVolumeRoutes(router: Router, engine: Engine): void {
  const v = engine.volumes;
  router.add('GET', '/volumes', (ctx) => v.list(ctx.query.filters()));
  router.add('POST', '/volumes/create', async (ctx) => {
    const body = (await ctx.json<CreateRequest>()) ?? {};
    const { created: _created, ...view } = await v.create(body);
    return Reply.json(view, 201);
  });
  router.add('GET', '/volumes/{name}', (ctx) => v.inspect(ctx.params.name));
  router.add('DELETE', '/volumes/{name}', async (ctx) => {
    await v.remove(ctx.params.name, { force: ctx.query.bool('force') });
    return Reply.empty(204);
  });
  router.add('POST', '/volumes/prune', (ctx) => v.prune(ctx.query.filters(), ctx.apiVersion));
}

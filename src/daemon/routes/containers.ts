// Container routes of the Engine API: lifecycle, list, inspect, top, prune. Streams (logs,
// attach, wait, resize) are in containers-io.ts.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Router, RequestContext } from '../router.ts';
import type { DaemonDeps } from '../start-daemon.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import { NotModifiedError } from '../../container/state-machine.ts';
import type { CreateBody } from '../../container/service/container-service.ts';
import type { HostConfig } from '../../container/docker-types.ts';
import { PRUNABLE } from '../../container/state-machine.ts';
import { statusOf } from '../../container/model.ts';
import { inspectView, summaryView, selectContainers } from './container-views.ts';
import { registerContainerIoRoutes } from './containers-io.ts';
import { validateCreateBody } from '../../container/validate-body.ts';
import { invalidArgument } from '../../errors/errors.ts';

/** Docker answers 304 (no body) when the container is already in the asked-for state. */
async function orNotModified(fn: () => Promise<unknown>): Promise<Reply | undefined> {
  try {
    await fn();
    return undefined;
  } catch (err) {
    if (err instanceof NotModifiedError) return Reply.empty(304);
    throw err;
  }
}

async function top(pids: number[], psArgs: string): Promise<{ Titles: string[]; Processes: string[][] }> {
  const { stdout } = await promisify(execFile)('ps', psArgs.split(/\s+/).filter(Boolean));
  const lines = stdout.trimEnd().split('\n');
  const titles = lines[0].trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol < 0) throw invalidArgument(`Couldn't find PID field in ps output`);
  const want = new Set(pids.map(String));
  const processes = lines.slice(1).map((l) => {
    const cols = l.trim().split(/\s+/);
    return [...cols.slice(0, titles.length - 1), cols.slice(titles.length - 1).join(' ')];
  }).filter((row) => want.has(row[pidCol]));
  return { Titles: titles, Processes: processes };
}

export function registerContainerRoutes(router: Router, engine: Engine, deps: DaemonDeps): void {
  const c = engine.containers;
  const id = (ctx: RequestContext) => ctx.params.id ?? ctx.params.name;

  router.add('POST', '/containers/create', async (ctx) => {
    const raw = await ctx.json<unknown>();
    if (!raw) throw invalidArgument('config cannot be empty in order to create a container');
    return Reply.json(await c.create(validateCreateBody<CreateBody & Record<string, unknown>>(raw), ctx.query.string('name')), 201);
  });
  router.add('GET', '/containers/json', (ctx) => {
    const list = selectContainers([...c.records.values()], { all: ctx.query.bool('all'), limit: ctx.query.int('limit'), filters: ctx.query.filters() });
    const now = Date.now();
    return list.map((r) => summaryView(r, now));
  });
  router.add('GET', '/containers/{id}/json', (ctx) => {
    const rec = c.get(id(ctx));
    return inspectView(rec, c.rootfsDir(rec.ID));
  });
  router.add('POST', '/containers/{id}/start', (ctx) => orNotModified(() => c.start(id(ctx))));
  router.add('POST', '/containers/{id}/stop', (ctx) => orNotModified(() => c.stop(id(ctx), ctx.query.int('t'), ctx.query.string('signal'))));
  router.add('POST', '/containers/{id}/restart', async (ctx) => { await c.restart(id(ctx), ctx.query.int('t')); });
  router.add('POST', '/containers/{id}/kill', async (ctx) => { await c.kill(id(ctx), ctx.query.string('signal') || 'SIGKILL'); });
  router.add('POST', '/containers/{id}/pause', async (ctx) => { await c.pause(id(ctx)); });
  router.add('POST', '/containers/{id}/unpause', async (ctx) => { await c.unpause(id(ctx)); });
  router.add('POST', '/containers/{id}/rename', async (ctx) => {
    const name = ctx.query.string('name');
    if (!name) throw invalidArgument('Neither old nor new names may be empty');
    await c.rename(id(ctx), name);
  });
  router.add('DELETE', '/containers/{id}', async (ctx) => { await c.remove(id(ctx), { force: ctx.query.bool('force'), volumes: ctx.query.bool('v') }); });
  router.add('POST', '/containers/{id}/update', async (ctx) => c.update(id(ctx), (await ctx.json<HostConfig>()) ?? {}));
  router.add('GET', '/containers/{id}/top', async (ctx) => top(await c.top(id(ctx)), ctx.query.string('ps_args') || '-ef'));
  router.add('POST', '/containers/prune', async () => {
    const deleted: string[] = [];
    for (const rec of [...c.records.values()]) {
      if (!PRUNABLE.includes(statusOf(rec.State))) continue;
      await c.remove(rec.ID).then(() => deleted.push(rec.ID), () => {});
    }
    return { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: 0 };
  });
  registerContainerIoRoutes(router, engine, deps);
}

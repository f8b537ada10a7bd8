// Image routes of the Engine API over the image service: list, inspect, history, tag, remove,
// prune, save (get) and load, search (not supported), /auth and /system/df. Pull, import and push
// stream progress and are in images-transfer.ts.
import { Readable } from 'node:stream';
import type { Router, RequestContext } from '../router.ts';
import type { DaemonDeps } from '../start-daemon.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import { invalidArgument, notImplemented } from '../../errors/errors.ts';
import { parseNormalizedNamed, referenceName } from '../../image/reference/reference.ts';
import type { ImageUser } from '../../image/service.ts';
import { pruneSelection } from './images-prune-filter.ts';
import { filterImages } from './images-filter.ts';
import { registerImageTransferRoutes, streamOnceStarted } from './images-transfer.ts';
import type { AuthConfig } from './images-registry.ts';
import { registerSystemDfRoute } from './system-df.ts';

const newer = (v: string, than: string): boolean => {
  const [a, b] = v.split('.').map(Number);
  const [c, d] = than.split('.').map(Number);
  return a > c || (a === c && b >= d);
};

/** The archive as a stream, once its first bytes exist: a missing image or blob is an ordinary error reply. */
async function saveReply(engine: Engine, names: string[]): Promise<Reply> {
  const it = engine.images.save(names)[Symbol.asyncIterator]();
  const first = await it.next();
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (first.done) return;
    yield first.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return Reply.stream(Readable.from(rest()), 'application/x-tar');
}

export function usersOf(engine: Engine, id: string): ImageUser[] {
  return [...engine.containers.records.values()].filter((r) => r.Image === id).map((r) => ({ id: r.ID, running: r.State.Running }));
}

async function listImages(engine: Engine, ctx: RequestContext): Promise<unknown[]> {
  const all = await engine.images.list();
  const byRef = (ref: string) => {
    try { const id = engine.images.resolve(ref); return all.find((i) => i.Id === id); } catch { return undefined; }
  };
  const counts = new Map<string, number>();
  for (const r of engine.containers.records.values()) counts.set(r.Image, (counts.get(r.Image) ?? 0) + 1);
  const list = filterImages(all, ctx.query.filters(), byRef);
  const old = !newer(ctx.apiVersion, '1.44');
  return list.map((i) => ({
    ...i,
    Containers: ctx.query.bool('shared-size') ? (counts.get(i.Id) ?? 0) : -1,
    ...(old ? { VirtualSize: i.Size } : {}),
  }));
}

export function registerImageRoutes(router: Router, engine: Engine, deps: DaemonDeps): void {
  const images = engine.images;
  const event = (action: string, id: string, name: string) => deps.events.publish({ Type: 'image', Action: action, Actor: { ID: id, Attributes: { name } } });

  router.add('GET', '/images/json', (ctx) => listImages(engine, ctx));
  router.add('GET', '/images/search', () => {
    throw notImplemented('Searching registries is not supported by berth: browse the registry instead (docker search needs Docker Hub\'s v1 search API)');
  });
  router.add('POST', '/images/prune', async (ctx) => {
    const sel = pruneSelection(ctx.query.filters());
    const selected = new Set((await images.list()).filter((i) => sel.matches(i)).map((i) => i.Id));
    const res = await images.prune({ all: sel.all, filter: (id) => selected.has(id) });
    for (const r of res.ImagesDeleted) if (r.Deleted) event('delete', r.Deleted, r.Deleted);
    event('prune', '', '');
    return { ImagesDeleted: res.ImagesDeleted.length ? res.ImagesDeleted : null, SpaceReclaimed: res.SpaceReclaimed };
  });
  router.add('GET', '/images/get', (ctx) => {
    const names = ctx.query.all('names').flatMap((n) => n.split(',')).filter(Boolean);
    if (!names.length) throw invalidArgument('no image names given to save');
    return saveReply(engine, names);
  });
  router.add('POST', '/images/load', (ctx) => streamOnceStarted(async (emit) => {
    await images.load(ctx.body as Readable, {
      onProgress: (msg) => {
        const m = /^Loaded image: (.*)$/.exec(msg);
        for (const line of m ? m[1].split(', ').map((t) => `Loaded image: ${t}`) : [msg]) emit({ stream: `${line}\n` });
      },
    });
  }));
  router.add('GET', '/images/{name*}/json', (ctx) => images.inspect(ctx.params.name));
  router.add('GET', '/images/{name*}/history', (ctx) => images.history(ctx.params.name));
  router.add('GET', '/images/{name*}/get', (ctx) => saveReply(engine, [ctx.params.name]));
  router.add('POST', '/images/{name*}/tag', (ctx) => {
    const repo = ctx.query.string('repo') ?? '';
    const tag = ctx.query.string('tag') ?? '';
    if (!repo) throw invalidArgument('repository name must have at least one component');
    if (/^sha256:?$/.test(repo) || /^[a-f0-9]{64}$/.test(repo)) throw invalidArgument('refusing to create an ambiguous tag using digest algorithm as name');
    const r = parseNormalizedNamed(repo);
    if (r.digest && !tag) throw invalidArgument('refusing to create a tag with a digest reference');
    const target = `${referenceName(r)}:${tag || r.tag || 'latest'}`;
    const id = images.resolve(ctx.params.name);
    images.tag(id, target);
    event('tag', id, target);
    return Reply.empty(201);
  });
  router.add('DELETE', '/images/{name*}', async (ctx) => {
    const name = ctx.params.name;
    const id = images.resolve(name);
    const res = await images.remove(name, { force: ctx.query.bool('force'), noPrune: ctx.query.bool('noprune'), users: usersOf(engine, id) });
    for (const r of res) {
      if (r.Untagged) event('untag', id, r.Untagged);
      if (r.Deleted) event('delete', r.Deleted, r.Deleted);
    }
    return res;
  });
  router.add('POST', '/auth', async (ctx) => {
    const body = await ctx.json<AuthConfig>();
    if (!body) throw invalidArgument('login: missing credentials');
    const { login } = await import('./images-login.ts');
    return login(body, (await images.registryClient()).hosts, undefined, ctx.signal);
  });
  registerImageTransferRoutes(router, engine, deps);
  registerSystemDfRoute(router, engine);
}

// POST /images/create (pull with Docker's JSON progress, or import from the body or a URL) and
// POST /images/{name*}/push. Errors before the first progress message are ordinary error replies
// (the CLI shows `Error response from daemon: …`); after it they travel in-band, as dockerd does.
import { Readable } from 'node:stream';
import type { RequestContext } from '../router.ts';
import type { DaemonDeps } from '../start-daemon.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import { JsonChannel } from '../json-stream.ts';
import { invalidArgument, isCode, notFound, permissionDenied, unavailable } from '../../errors/errors.ts';
import { familiarString, parseNormalizedNamed, referenceName, withDigest, withTag, type Reference } from '../../image/reference/reference.ts';
import type { Platform } from '../../registry/client/platform.ts';
import type { PullProgress } from '../../image/service/pull.ts';
import { clientFor, decodeRegistryAuth } from './images-registry.ts';

type Emit = (msg: Record<string, unknown>) => void;

/** Runs `work`; the reply is a JSON stream from its first message on, else its error or an empty stream. */
export function streamOnceStarted(work: (emit: Emit) => Promise<void>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const ch = new JsonChannel<Record<string, unknown>>();
    let started = false;
    const start = () => { if (!started) { started = true; resolve(Reply.jsonStream(ch)); } };
    work((m) => { ch.push(m); start(); }).then(
      () => { ch.end(); start(); },
      (err: unknown) => { if (started) ch.fail(err); else reject(err); },
    );
  });
}

export function parsePlatform(s: string | undefined, host: Platform): Platform | undefined {
  if (!s) return undefined;
  const [os, arch, variant] = s.toLowerCase().split('/');
  if (!os || (os !== 'linux' && os !== host.os)) throw invalidArgument(`"${s}": unknown operating system or architecture: invalid argument`);
  const architecture = arch === 'x86_64' ? 'amd64' : arch === 'aarch64' ? 'arm64' : (arch || host.architecture);
  return { os, architecture, ...(variant ? { variant } : {}) };
}

function progressBar(current: number, total: number): string {
  const human = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}kB` : `${n}B`);
  if (total <= 0) return human(current);
  const width = 50;
  const done = Math.min(width, Math.floor((current / total) * width));
  return `[${'='.repeat(done)}${done < width ? '>' : ''}${' '.repeat(Math.max(0, width - done - 1))}] ${human(current)}/${human(total)}`;
}

/** Docker's messages for one PullProgress event. */
export function pullMessages(p: PullProgress): Record<string, unknown>[] {
  if (p.status === 'Digest' || p.status === 'Status') return [{ status: p.detail ?? p.status }];
  if (p.status === 'Downloading') {
    const msgs: Record<string, unknown>[] = [{ status: 'Downloading', progressDetail: { current: p.current, total: p.total }, progress: progressBar(p.current ?? 0, p.total ?? 0), id: p.id }];
    if (p.total !== undefined && p.current === p.total) msgs.push({ status: 'Verifying Checksum', progressDetail: {}, id: p.id }, { status: 'Download complete', progressDetail: {}, id: p.id });
    return msgs;
  }
  return [{ status: p.status, progressDetail: {}, id: p.id }];
}

async function pullOne(engine: Engine, ctx: RequestContext, ref: Reference, emit: Emit, platform: Platform | undefined): Promise<void> {
  const images = engine.images;
  const client = await clientFor(await images.registryClient(), decodeRegistryAuth(ctx.headers['x-registry-auth']));
  const name = referenceName(ref);
  const tagRef = ref.digest ? `${name}@${ref.digest}` : `${name}:${ref.tag ?? 'latest'}`;
  const before = ref.digest ? images.parts.meta.digestTarget(tagRef) : images.parts.meta.tagTarget(tagRef);
  let first = true;
  const id = await images.pull(tagRef, {
    platform, signal: ctx.signal, client,
    onProgress: (p) => {
      if (first) { first = false; emit({ status: `Pulling from ${ref.path}`, id: ref.digest ?? ref.tag ?? 'latest' }); }
      for (const m of pullMessages(p)) emit(m);
    },
  });
  const shown = familiarString(parseNormalizedNamed(tagRef));
  emit({ status: before === id ? `Status: Image is up to date for ${shown}` : `Status: Downloaded newer image for ${shown}` });
}

async function* fromUrl(url: string, emit: Emit, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  let u: URL;
  try { u = new URL(url); } catch { throw invalidArgument(`import: invalid URL ${url}`); }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalidArgument(`import: unsupported URL scheme ${u.protocol}`);
  const res = await fetch(u, { signal }).catch((e: Error) => { throw unavailable(`Get "${url}": ${e.message}`, e); });
  if (!res.ok || !res.body) throw unavailable(`Get "${url}": ${res.status} ${res.statusText}`);
  const total = Number(res.headers.get('content-length') ?? -1);
  emit({ status: `Downloading from ${url}` });
  let got = 0;
  let last = 0;
  for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) {
    got += c.length;
    if (got - last >= 1 << 20) { last = got; emit({ status: 'Importing', progressDetail: { current: got, total }, progress: progressBar(got, total) }); }
    yield c;
  }
}

async function importImage(engine: Engine, ctx: RequestContext, emit: Emit): Promise<void> {
  const src = ctx.query.string('fromSrc')!;
  const repo = ctx.query.string('repo') ?? '';
  const tag = ctx.query.string('tag') ?? '';
  let ref: string | undefined;
  if (repo) {
    const r = parseNormalizedNamed(repo);
    if (r.digest) throw invalidArgument('cannot import digest reference');
    ref = `${referenceName(r)}:${tag || r.tag || 'latest'}`;
  }
  const source: AsyncIterable<Uint8Array> = src === '-' ? (ctx.body as Readable) : fromUrl(src, emit, ctx.signal);
  const id = await engine.images.import(source, {
    ref, changes: ctx.query.all('changes').filter((c) => c.trim()), message: ctx.query.string('message') ?? '',
    platform: parsePlatform(ctx.query.string('platform'), engine.images.platform),
  });
  emit({ status: id });
}

async function allTags(engine: Engine, ctx: RequestContext, ref: Reference): Promise<string[]> {
  const client = await clientFor(await engine.images.registryClient(), decodeRegistryAuth(ctx.headers['x-registry-auth']));
  return client.tags({ domain: ref.domain, path: ref.path });
}

export function registerImageTransferRoutes(router: { add: (m: string, p: string, h: (ctx: RequestContext) => unknown) => unknown }, engine: Engine, deps: DaemonDeps): void {
  const event = (action: string, id: string, name: string) => deps.events.publish({ Type: 'image', Action: action, Actor: { ID: id, Attributes: { name } } });

  router.add('POST', '/images/create', async (ctx) => {
    const fromImage = ctx.query.string('fromImage');
    const fromSrc = ctx.query.string('fromSrc');
    if (fromSrc) {
      return streamOnceStarted(async (emit) => {
        let id = '';
        await importImage(engine, ctx, (m) => { if (typeof m.status === 'string' && m.status.startsWith('sha256:')) id = m.status; emit(m); });
        if (id) event('import', id, id);
      });
    }
    if (!fromImage) throw invalidArgument('fromImage or fromSrc is required');
    const base = parseNormalizedNamed(fromImage);
    const tag = ctx.query.string('tag') ?? '';
    const platform = parsePlatform(ctx.query.string('platform'), engine.images.platform);
    let refs: Reference[];
    const bare: Reference = { domain: base.domain, path: base.path };
    if (tag) refs = [tag.includes(':') ? withDigest(bare, tag) : withTag(bare, tag)];
    else if (base.tag || base.digest) refs = [base];
    else refs = (await allTags(engine, ctx, base)).map((t) => withTag(bare, t));
    // A 401 before the stream started would make the docker CLI prompt for a login; dockerd
    // answers missing or refused registry credentials with another status too.
    return streamOnceStarted(async (emit) => {
      for (const r of refs) {
        await pullOne(engine, ctx, r, emit, platform);
        const shown = familiarString(r);
        event('pull', shown, shown);
      }
    }).catch((err: unknown) => {
      if (isCode(err, 'Unauthenticated')) throw permissionDenied(`pull access denied for ${familiarString({ domain: base.domain, path: base.path })}, repository does not exist or may require 'docker login': ${(err as Error).message}`, err);
      throw err;
    });
  });

  router.add('POST', '/images/{name*}/push', async (ctx) => {
    const repo = parseNormalizedNamed(ctx.params.name);
    const tag = ctx.query.string('tag') || repo.tag || '';
    const name = referenceName(repo);
    const meta = engine.images.parts.meta;
    const refs = tag ? [`${name}:${tag}`] : meta.images().flatMap((i) => meta.tagsOf(i.id)).filter((t) => t.slice(0, t.lastIndexOf(':')) === name).sort();
    if (!refs.length || (tag && !meta.tagTarget(refs[0]))) throw notFound(`An image does not exist locally with the tag: ${familiarString(repo)}`);
    const client = await clientFor(await engine.images.registryClient(), decodeRegistryAuth(ctx.headers['x-registry-auth']));
    return streamOnceStarted(async (emit) => {
      emit({ status: `The push refers to repository [${familiarString({ domain: repo.domain, path: repo.path })}]` });
      for (const ref of refs) {
        const id = engine.images.resolve(ref);
        const diffIds = (await engine.images.config(id)).rootfs.diff_ids;
        const manifest = JSON.parse((await engine.images.parts.content.read(engine.images.record(id).manifestDigest)).toString('utf8')) as { layers: { digest: string }[] };
        // Docker names pushed layers by their diff ids, newest first.
        const layerId = new Map(manifest.layers.map((l, i) => [l.digest, (diffIds[i] ?? l.digest).slice(7, 19)]));
        for (const l of [...layerId.values()].reverse()) emit({ status: 'Preparing', progressDetail: {}, id: l });
        const digest = await engine.images.push(ref, {
          signal: ctx.signal, client,
          onBlob: (d, result, from) => {
            const l = layerId.get(d);
            if (!l) return;
            emit({ status: result === 'exists' ? 'Layer already exists' : result === 'mounted' ? `Mounted from ${from}` : 'Pushed', progressDetail: {}, id: l });
          },
          onBytes: (d, current, total) => {
            const l = layerId.get(d);
            if (l) emit({ status: 'Pushing', progressDetail: { current, total }, progress: progressBar(current, total), id: l });
          },
        });
        const size = (await engine.images.parts.content.info(digest))?.size ?? 0;
        const t = ref.slice(ref.lastIndexOf(':') + 1);
        emit({ status: `${t}: digest: ${digest} size: ${size}` });
        emit({ progressDetail: {}, aux: { Tag: t, Digest: digest, Size: size } });
        event('push', familiarString(parseNormalizedNamed(ref)), familiarString(parseNormalizedNamed(ref)));
      }
    });
  });
}

// GET /v2/<name>/tags/list, /v2/_catalog and /v2/<name>/referrers/<digest>.
import { RegistryError } from '../protocol/errors.ts';
import { OCI_INDEX } from '../protocol/media-types.ts';
import { linkHeader, paginate, parseN } from '../protocol/pagination.ts';
import { parseDigest } from '../protocol/reference.ts';
import type { Route } from '../protocol/routes.ts';
import type { Ctx } from './context.ts';
import { sendJson } from './http-io.ts';

function page(ctx: Ctx, all: string[], path: string): { items: string[]; headers: Record<string, string> } {
  const n = parseN(ctx.url.searchParams.get('n'));
  if (n === 'invalid') throw new RegistryError('UNSUPPORTED', 'n must be a non-negative integer', { status: 400 });
  const p = paginate(all, n, ctx.url.searchParams.get('last') ?? undefined);
  return { items: p.items, headers: p.next ? { Link: linkHeader(path, p.next) } : {} };
}

export async function listTags(ctx: Ctx<Extract<Route, { kind: 'tags' }>>): Promise<void> {
  const { name } = ctx.route;
  const { repos, upstream } = ctx.services;
  const remote = upstream && (await upstream.tags(name, ctx.url.search, ctx.signal));
  if (remote) {
    sendJson(ctx.res, 200, { name, tags: remote.tags }, remote.link ? { Link: remote.link } : {});
    return;
  }
  if (!(await repos.exists(name))) throw new RegistryError('NAME_UNKNOWN', `repository ${name} not known to registry`, { detail: { name } });
  const { items, headers } = page(ctx, await repos.tags(name), `/v2/${name}/tags/list`);
  sendJson(ctx.res, 200, { name, tags: items }, headers);
}

export async function catalog(ctx: Ctx<Extract<Route, { kind: 'catalog' }>>): Promise<void> {
  const { items, headers } = page(ctx, await ctx.services.repos.names(), '/v2/_catalog');
  sendJson(ctx.res, 200, { repositories: items }, headers);
}

export async function listReferrers(ctx: Ctx<Extract<Route, { kind: 'referrers' }>>): Promise<void> {
  const { name, digest } = ctx.route;
  if (!parseDigest(digest)) throw new RegistryError('DIGEST_INVALID', `invalid digest ${digest}`, { detail: { digest } });
  let manifests = await ctx.services.repos.referrers(name, digest);
  const filter = ctx.url.searchParams.get('artifactType');
  const headers: Record<string, string> = {};
  if (filter) {
    manifests = manifests.filter((m) => m.artifactType === filter);
    headers['OCI-Filters-Applied'] = 'artifactType';
  }
  sendJson(ctx.res, 200, { schemaVersion: 2, mediaType: OCI_INDEX, manifests }, headers, OCI_INDEX);
}

// GET/HEAD/DELETE /v2/<name>/blobs/<digest>: streamed, with single byte ranges.
import { pipeline } from 'node:stream/promises';
import { RegistryError } from '../protocol/errors.ts';
import { parseDigest } from '../protocol/reference.ts';
import { parseRange } from '../protocol/ranges.ts';
import type { Route } from '../protocol/routes.ts';
import type { Ctx, UpstreamBlob } from './context.ts';
import { sendEmpty } from './http-io.ts';

type BlobCtx = Ctx<Extract<Route, { kind: 'blob' }>>;

function checkDigest(d: string): void {
  if (!parseDigest(d)) throw new RegistryError('DIGEST_INVALID', `invalid digest ${d}`, { detail: { digest: d } });
}

export async function getBlob(ctx: BlobCtx): Promise<void> {
  const { name, digest } = ctx.route;
  const { repos, blobs, upstream } = ctx.services;
  checkDigest(digest);
  const unknown = () => new RegistryError('BLOB_UNKNOWN', `blob unknown to registry: ${digest}`, { detail: { digest } });
  const info = (await repos.hasBlob(name, digest)) ? await blobs.stat(digest) : undefined;
  let source: UpstreamBlob | undefined = info && { size: info.size, stream: (r) => blobs.read(digest, r) };
  if (!source && upstream) {
    if (ctx.req.method === 'HEAD') {
      const remote = await upstream.statBlob(name, digest, ctx.signal);
      if (!remote) throw unknown();
      source = { size: remote.size, stream: () => { throw new Error('HEAD has no body'); } };
    } else {
      source = await upstream.openBlob(name, digest, ctx.signal);
    }
  }
  if (!source) throw unknown();
  const size = source.size;
  const range = size === undefined ? undefined : parseRange(ctx.req.headers.range, size);
  const common = {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': digest,
    'Accept-Ranges': 'bytes',
    ETag: `"${digest}"`,
    'Cache-Control': 'max-age=31536000',
  };
  if (range === 'unsatisfiable') {
    sendEmpty(ctx.res, 416, { ...common, 'Content-Range': `bytes */${size}` });
    return;
  }
  if (range) {
    ctx.res.writeHead(206, { ...common, 'Content-Length': range.end - range.start + 1, 'Content-Range': `bytes ${range.start}-${range.end}/${size}` });
  } else {
    ctx.res.writeHead(200, size === undefined ? common : { ...common, 'Content-Length': size });
  }
  if (ctx.req.method === 'HEAD' || size === 0) {
    ctx.res.end();
    return;
  }
  await pipeline(source.stream(range), ctx.res);
}

export async function deleteBlob(ctx: BlobCtx): Promise<void> {
  const { name, digest } = ctx.route;
  const { repos, config } = ctx.services;
  if (!config.deleteEnabled || config.readOnly) throw new RegistryError('UNSUPPORTED', 'deletes are disabled');
  checkDigest(digest);
  if (!(await repos.unlinkBlob(name, digest))) throw new RegistryError('BLOB_UNKNOWN', `blob unknown to registry: ${digest}`, { detail: { digest } });
  sendEmpty(ctx.res, 202, { 'Docker-Content-Digest': digest });
}

// Blob pushes: POST /v2/<name>/blobs/uploads/ (session, monolithic with ?digest=, or mount),
// PATCH/PUT/GET/DELETE /v2/<name>/blobs/uploads/<id>.
import type { IncomingMessage } from 'node:http';
import { RegistryError } from '../protocol/errors.ts';
import { isValidName, parseDigest } from '../protocol/reference.ts';
import { parseContentRange, uploadRangeHeader } from '../protocol/ranges.ts';
import type { Route } from '../protocol/routes.ts';
import type { Ctx } from './context.ts';
import { sendEmpty } from './http-io.ts';

type UploadsCtx = Ctx<Extract<Route, { kind: 'uploads' }>>;
type UploadCtx = Ctx<Extract<Route, { kind: 'upload' }>>;

function hasBody(req: IncomingMessage): boolean {
  const len = req.headers['content-length'];
  if (len !== undefined) return Number(len) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

function requireDigest(v: string | null): string {
  if (!v || !parseDigest(v)) throw new RegistryError('DIGEST_INVALID', `invalid or missing digest ${v ?? ''}`, { detail: { digest: v } });
  return v;
}

function writable(ctx: Ctx): void {
  if (ctx.services.config.readOnly || ctx.services.upstream) throw new RegistryError('UNSUPPORTED', 'registry is read-only');
}

function range(ctx: Ctx): { start: number; end: number } | undefined {
  const r = parseContentRange(ctx.req.headers['content-range']);
  if (r === 'invalid') throw new RegistryError('BLOB_UPLOAD_INVALID', `invalid Content-Range ${ctx.req.headers['content-range']}`, { status: 416 });
  return r;
}

function sessionHeaders(name: string, id: string, size: number): Record<string, string> {
  return { Location: `/v2/${name}/blobs/uploads/${id}`, Range: uploadRangeHeader(size), 'Docker-Upload-UUID': id };
}

async function finish(ctx: Ctx, name: string, id: string, digest: string): Promise<void> {
  const { uploads, repos, gate } = ctx.services;
  await gate.enter(ctx.signal);
  const info = await uploads.complete(id, name, digest);
  await repos.linkBlob(name, digest);
  sendEmpty(ctx.res, 201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest, 'Content-Range': uploadRangeHeader(info.size) });
}

export async function postUpload(ctx: UploadsCtx): Promise<void> {
  writable(ctx);
  const { name } = ctx.route;
  const { uploads, repos, blobs, gate } = ctx.services;
  const q = ctx.url.searchParams;
  const mount = q.get('mount');
  const from = q.get('from');
  if (mount !== null) {
    const digest = requireDigest(mount);
    if (from && isValidName(from) && ctx.canPull(from) && (await repos.hasBlob(from, digest)) && (await blobs.stat(digest))) {
      await gate.enter(ctx.signal);
      await repos.linkBlob(name, digest);
      sendEmpty(ctx.res, 201, { Location: `/v2/${name}/blobs/${digest}`, 'Docker-Content-Digest': digest });
      return;
    }
    // Not mountable: an ordinary upload session instead (202).
  }
  const digestParam = q.get('digest');
  const digest = digestParam === null ? undefined : requireDigest(digestParam);
  const session = await uploads.create(name);
  if (digest !== undefined) {
    try {
      await uploads.append(session.id, name, ctx.req);
    } catch (err) {
      await uploads.remove(session.id);
      throw err;
    }
    await finish(ctx, name, session.id, digest);
    return;
  }
  if (hasBody(ctx.req)) ctx.req.resume();
  sendEmpty(ctx.res, 202, sessionHeaders(name, session.id, 0));
}

export async function patchUpload(ctx: UploadCtx): Promise<void> {
  writable(ctx);
  const { name, id } = ctx.route;
  const r = range(ctx);
  const info = await withLocation(name, id, () => ctx.services.uploads.append(id, name, ctx.req, r));
  sendEmpty(ctx.res, 202, sessionHeaders(name, id, info.size));
}

export async function putUpload(ctx: UploadCtx): Promise<void> {
  writable(ctx);
  const { name, id } = ctx.route;
  const digest = requireDigest(ctx.url.searchParams.get('digest'));
  await ctx.services.uploads.get(id, name);
  if (hasBody(ctx.req)) {
    const r = range(ctx);
    await withLocation(name, id, () => ctx.services.uploads.append(id, name, ctx.req, r));
  }
  await finish(ctx, name, id, digest);
}

export async function uploadStatus(ctx: UploadCtx): Promise<void> {
  const { name, id } = ctx.route;
  const info = await ctx.services.uploads.get(id, name);
  sendEmpty(ctx.res, 204, sessionHeaders(name, id, info.size));
}

export async function cancelUpload(ctx: UploadCtx): Promise<void> {
  const { name, id } = ctx.route;
  await ctx.services.uploads.cancel(id, name);
  sendEmpty(ctx.res, 204);
}

/** Adds the session's Location to errors (416 answers carry it). */
async function withLocation<T>(name: string, id: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof RegistryError && err.status === 416) err.headers.Location = `/v2/${name}/blobs/uploads/${id}`;
    throw err;
  }
}

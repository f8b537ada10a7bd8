// GET/HEAD/PUT/DELETE /v2/<name>/manifests/<reference>.
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { RegistryError } from '../protocol/errors.ts';
import { acceptsManifest } from '../protocol/media-types.ts';
import { parseManifest, type Descriptor } from '../protocol/manifest.ts';
import { isValidTag, looksLikeDigest, parseDigest } from '../protocol/reference.ts';
import type { Route } from '../protocol/routes.ts';
import type { Ctx } from './context.ts';
import { readBody, sendEmpty } from './http-io.ts';

type ManifestCtx = Ctx<Extract<Route, { kind: 'manifest' }>>;

function checkReference(ref: string): 'digest' | 'tag' {
  if (looksLikeDigest(ref)) {
    if (!parseDigest(ref)) throw new RegistryError('DIGEST_INVALID', `invalid digest ${ref}`, { detail: { digest: ref } });
    return 'digest';
  }
  if (!isValidTag(ref)) throw new RegistryError('TAG_INVALID', `invalid tag ${ref}`, { detail: { tag: ref } });
  return 'tag';
}

export async function getManifest(ctx: ManifestCtx): Promise<void> {
  const { name, reference } = ctx.route;
  const { repos, blobs, upstream } = ctx.services;
  const kind = checkReference(reference);
  if (upstream) await upstream.fetchManifest(name, reference, ctx.signal);
  const unknown = () => new RegistryError('MANIFEST_UNKNOWN', `manifest unknown: ${name}:${reference}`, { detail: { name, reference } });
  const digest = kind === 'digest' ? reference : await repos.resolveTag(name, reference);
  if (!digest) {
    if (!(await repos.exists(name))) throw new RegistryError('NAME_UNKNOWN', `repository ${name} not known to registry`, { detail: { name } });
    throw unknown();
  }
  const rev = await repos.getRevision(name, digest);
  const info = rev && (await blobs.stat(digest));
  if (!rev || !info) throw unknown();
  if (!acceptsManifest(ctx.req.headers.accept, rev.mediaType)) {
    throw new RegistryError('MANIFEST_UNKNOWN', `manifest of type ${rev.mediaType} not acceptable (Accept: ${ctx.req.headers.accept})`, { detail: { mediaType: rev.mediaType } });
  }
  ctx.res.writeHead(200, {
    'Content-Type': rev.mediaType,
    'Content-Length': info.size,
    'Docker-Content-Digest': digest,
    ETag: `"${digest}"`,
  });
  if (ctx.req.method === 'HEAD') {
    ctx.res.end();
    return;
  }
  await pipeline(blobs.read(digest), ctx.res);
}

export async function putManifest(ctx: ManifestCtx): Promise<void> {
  const { name, reference } = ctx.route;
  const { repos, blobs, config, gate } = ctx.services;
  if (config.readOnly || ctx.services.upstream) throw new RegistryError('UNSUPPORTED', 'registry is read-only');
  const kind = checkReference(reference);
  const extraTags = ctx.url.searchParams.getAll('tag');
  for (const t of extraTags) if (!isValidTag(t)) throw new RegistryError('TAG_INVALID', `invalid tag ${t}`, { detail: { tag: t } });
  const body = await readBody(ctx.req, config.maxManifestBytes, () =>
    new RegistryError('MANIFEST_INVALID', `manifest larger than ${config.maxManifestBytes} bytes`, { status: 413, detail: { limit: config.maxManifestBytes } }));
  const parsed = parseManifest(body.toString('utf8'), ctx.req.headers['content-type']);
  const algorithm = kind === 'digest' ? parseDigest(reference)!.algorithm : 'sha256';
  const digest = `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`;
  if (kind === 'digest' && digest !== reference) {
    throw new RegistryError('DIGEST_INVALID', `manifest digest ${digest} does not match ${reference}`, { detail: { expected: reference, actual: digest } });
  }
  for (const b of parsed.blobs) {
    if (!(await repos.hasBlob(name, b)) || !(await blobs.stat(b))) {
      throw new RegistryError('MANIFEST_BLOB_UNKNOWN', `blob unknown to registry: ${b}`, { detail: { digest: b } });
    }
  }
  for (const m of parsed.manifests) {
    if (!(await repos.getRevision(name, m))) throw new RegistryError('MANIFEST_BLOB_UNKNOWN', `manifest unknown to registry: ${m}`, { detail: { digest: m } });
  }
  await gate.enter(ctx.signal);
  await blobs.put(body, algorithm);
  await repos.putRevision(name, { digest, mediaType: parsed.mediaType });
  for (const t of kind === 'tag' ? [reference, ...extraTags] : extraTags) await repos.tag(name, t, digest);
  const headers: Record<string, string> = {
    Location: `/v2/${name}/manifests/${digest}`,
    'Docker-Content-Digest': digest,
  };
  if (parsed.subject) {
    const desc: Descriptor = { mediaType: parsed.mediaType, digest, size: body.length };
    if (parsed.artifactType) desc.artifactType = parsed.artifactType;
    if (parsed.annotations) desc.annotations = parsed.annotations;
    await repos.addReferrer(name, parsed.subject.digest, desc);
    headers['OCI-Subject'] = parsed.subject.digest;
  }
  sendEmpty(ctx.res, 201, headers);
}

export async function deleteManifest(ctx: ManifestCtx): Promise<void> {
  const { name, reference } = ctx.route;
  const { repos, blobs, config } = ctx.services;
  if (!config.deleteEnabled || config.readOnly) throw new RegistryError('UNSUPPORTED', 'deletes are disabled');
  const kind = checkReference(reference);
  const unknown = () => new RegistryError('MANIFEST_UNKNOWN', `manifest unknown: ${name}:${reference}`, { detail: { name, reference } });
  if (kind === 'tag') {
    if (!(await repos.untag(name, reference))) throw unknown();
    sendEmpty(ctx.res, 202);
    return;
  }
  const rev = await repos.getRevision(name, reference);
  if (!rev) throw unknown();
  try {
    const parsed = parseManifest((await blobs.readAll(reference)).toString('utf8'), rev.mediaType);
    if (parsed.subject) await repos.removeReferrer(name, parsed.subject.digest, reference);
  } catch { /* content gone or unparsable: nothing to unindex */ }
  await repos.deleteRevision(name, reference);
  sendEmpty(ctx.res, 202);
}

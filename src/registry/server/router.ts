// Route + method → handler. Unknown methods on a known route answer 405 UNSUPPORTED.
import { RegistryError } from '../protocol/errors.ts';
import type { Route } from '../protocol/routes.ts';
import { deleteBlob, getBlob } from './blob-handlers.ts';
import type { Ctx } from './context.ts';
import { sendJson } from './http-io.ts';
import { catalog, listReferrers, listTags } from './listing-handlers.ts';
import { deleteManifest, getManifest, putManifest } from './manifest-handlers.ts';
import { cancelUpload, patchUpload, postUpload, putUpload, uploadStatus } from './upload-handlers.ts';

type Handler = (ctx: Ctx<any>) => Promise<void>;

const TABLE: Partial<Record<Route['kind'], Record<string, Handler>>> = {
  base: { GET: async (ctx) => sendJson(ctx.res, 200, {}), HEAD: async (ctx) => sendJson(ctx.res, 200, {}) },
  catalog: { GET: catalog },
  manifest: { GET: getManifest, HEAD: getManifest, PUT: putManifest, DELETE: deleteManifest },
  blob: { GET: getBlob, HEAD: getBlob, DELETE: deleteBlob },
  uploads: { POST: postUpload },
  upload: { GET: uploadStatus, PATCH: patchUpload, PUT: putUpload, DELETE: cancelUpload },
  tags: { GET: listTags },
  referrers: { GET: listReferrers },
};

export async function dispatch(ctx: Ctx): Promise<void> {
  const handler = TABLE[ctx.route.kind]?.[ctx.req.method ?? ''];
  if (!handler) throw new RegistryError('UNSUPPORTED', `${ctx.req.method} not allowed on ${ctx.url.pathname}`, { status: 405 });
  await handler(ctx);
}

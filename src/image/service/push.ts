// push: the image's own manifest is sent as it is (so the digest stays the same), after its
// config and layer blobs (present ones skipped by HEAD, mounted from another repository of the same
// registry when a pull or push saw them there, non-distributable ones skipped).
import { failedPrecondition } from '../../errors/errors.ts';
import { pushBlob, pushManifest } from '../../registry/client/push.ts';
import type { RegistryClient } from '../../registry/client/registry-client.ts';
import { referenceName, type Reference } from '../reference/reference.ts';
import type { ServiceParts } from './parts.ts';
import { isNonDistributable, type ImageManifest } from './types.ts';

export interface PushOptions {
  signal?: AbortSignal;
  chunkSize?: number;
  /** Called as each blob is done: sent, already there, or mounted from another repository. */
  onBlob?: (digest: string, result: 'uploaded' | 'exists' | 'mounted', mountedFrom?: string) => void;
  /** Bytes of a blob read for upload so far (every 512 KiB and at the end; restarts on a retry). */
  onBytes?: (digest: string, current: number, total: number) => void;
}

async function* counted(src: AsyncIterable<Uint8Array>, total: number, report: (n: number) => void): AsyncGenerator<Uint8Array> {
  let n = 0;
  let last = 0;
  for await (const c of src) {
    n += c.length;
    if (n - last >= 512 * 1024 || n === total) { last = n; report(n); }
    yield c;
  }
}

export async function push(parts: ServiceParts, client: RegistryClient, ref: Reference, id: string, opts: PushOptions = {}): Promise<string> {
  const rec = parts.meta.getImage(id)!;
  const bytes = await parts.content.read(rec.manifestDigest);
  const m = JSON.parse(bytes.toString('utf8')) as ImageManifest;
  const repo = { domain: ref.domain, path: ref.path };
  const known = parts.meta.allLayerBlobs();
  const blobs = [...m.layers.filter((l) => !isNonDistributable(l.mediaType)), m.config];
  const queue = [...blobs];
  const worker = async (): Promise<void> => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      if (!(await parts.content.has(d.digest))) throw failedPrecondition(`push: blob ${d.digest} is not in the content store`);
      const from = known.find((k) => k.digest === d!.digest && k.source.startsWith(`${ref.domain}/`) && k.source !== `${ref.domain}/${ref.path}`);
      const digest = d.digest;
      const mountFrom = from?.source.slice(ref.domain.length + 1);
      const size = d.size;
      const open = () => (opts.onBytes ? counted(parts.content.reader(digest), size, (n) => opts.onBytes!(digest, n, size)) : parts.content.reader(digest));
      const result = await pushBlob(client, repo, d, open, { mountFrom, chunkSize: opts.chunkSize, signal: opts.signal });
      opts.onBlob?.(digest, result, mountFrom);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const mediaType = m.mediaType ?? rec.manifestMediaType;
  await pushManifest(client, repo, ref.tag ?? rec.manifestDigest, bytes, mediaType, opts.signal);
  parts.meta.addDigest(`${referenceName(ref)}@${rec.manifestDigest}`, id);
  for (const l of m.layers) {
    for (const k of known.filter((x) => x.digest === l.digest)) parts.meta.addLayerBlob({ ...k, source: `${ref.domain}/${ref.path}` });
  }
  return rec.manifestDigest;
}

// Pushes: a blob is skipped when the registry has it (HEAD), mounted from another repository of
// the same registry when one is known, else uploaded monolithically (POST, then PUT ?digest= with
// the body) or in chunks (PATCH with Content-Range, following each Location, then an empty PUT).
// A failed upload is started over from `open()` (a fresh source) up to `attempts` times.
import { invalidArgument, unavailable } from '../../errors/errors.ts';
import type { RegistryClient, Repo } from './registry-client.ts';
import type { HttpResponse } from './http-fetch.ts';

export interface PushBlobOptions {
  /** Repository path on the same registry that has the blob (cross-repository mount). */
  mountFrom?: string;
  /** Upload in chunks of this many bytes (default: monolithic). */
  chunkSize?: number;
  attempts?: number;
  signal?: AbortSignal;
}

export type PushResult = 'exists' | 'mounted' | 'uploaded';

type Source = AsyncIterable<Uint8Array>;

function locationOf(res: HttpResponse, base: string): string {
  const loc = res.headers.get('location');
  if (!loc) throw unavailable('upload: response without Location');
  return new URL(loc, base).toString();
}

function withDigest(url: string, digest: string): string {
  const u = new URL(url);
  u.searchParams.set('digest', digest);
  return u.toString();
}

async function* rechunk(src: Source, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let have = 0;
  for await (const c of src) {
    parts.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    have += c.length;
    while (have >= size) {
      const all = Buffer.concat(parts);
      yield all.subarray(0, size);
      parts = [all.subarray(size)];
      have -= size;
    }
  }
  if (have > 0) yield Buffer.concat(parts);
}

export async function pushBlob(client: RegistryClient, repo: Repo, desc: { digest: string; size: number }, open: () => Source, opts: PushBlobOptions = {}): Promise<PushResult> {
  const ep = client.upstream(repo);
  const base = `/v2/${repo.path}/blobs`;
  const pp = { actions: 'pull,push', signal: opts.signal };
  if (await client.hasBlob(repo, desc.digest, ep, 'pull,push')) return 'exists';
  let lastErr: unknown;
  for (let attempt = 0; attempt < (opts.attempts ?? 3); attempt++) {
    try {
      let start: HttpResponse;
      if (opts.mountFrom && opts.mountFrom !== repo.path) {
        start = await client.request(ep, repo.path, `${base}/uploads/?mount=${encodeURIComponent(desc.digest)}&from=${encodeURIComponent(opts.mountFrom)}`,
          { ...pp, method: 'POST', extraScopes: [`repository:${opts.mountFrom}:pull`] });
        if (start.status === 201) { await start.body?.cancel(); return 'mounted'; }
      } else {
        start = await client.request(ep, repo.path, `${base}/uploads/`, { ...pp, method: 'POST' });
      }
      if (start.status !== 202) throw unavailable(`start upload of ${desc.digest}: ${start.status} ${(await start.text()).slice(0, 200)}`);
      await start.body?.cancel();
      let loc = locationOf(start, client.base(ep));
      if (!opts.chunkSize) {
        const res = await client.request(ep, repo.path, withDigest(loc, desc.digest), {
          ...pp, method: 'PUT', body: open(), headers: { 'content-type': 'application/octet-stream', 'content-length': String(desc.size) },
        });
        if (res.status !== 201) throw unavailable(`upload ${desc.digest}: ${res.status} ${(await res.text()).slice(0, 200)}`);
        await res.body?.cancel();
        return 'uploaded';
      }
      let offset = 0;
      for await (const chunk of rechunk(open(), opts.chunkSize)) {
        const res = await client.request(ep, repo.path, loc, {
          ...pp, method: 'PATCH', body: chunk, retry: false,
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${offset + chunk.length - 1}`, 'content-length': String(chunk.length) },
        });
        if (res.status !== 202) throw unavailable(`upload chunk of ${desc.digest} at ${offset}: ${res.status} ${(await res.text()).slice(0, 200)}`);
        await res.body?.cancel();
        loc = locationOf(res, client.base(ep));
        offset += chunk.length;
      }
      if (offset !== desc.size) throw invalidArgument(`upload ${desc.digest}: source had ${offset} bytes, descriptor says ${desc.size}`);
      const res = await client.request(ep, repo.path, withDigest(loc, desc.digest), { ...pp, method: 'PUT', retry: false, headers: { 'content-length': '0' } });
      if (res.status !== 201) throw unavailable(`finish upload of ${desc.digest}: ${res.status} ${(await res.text()).slice(0, 200)}`);
      await res.body?.cancel();
      return 'uploaded';
    } catch (e) {
      lastErr = e;
      if ((e as { code?: string }).code === 'Unauthenticated' || (e as { code?: string }).code === 'InvalidArgument' || opts.signal?.aborted) throw e;
    }
  }
  throw lastErr;
}

/** PUT of a manifest under a tag or its digest; returns the digest the registry reports. */
export async function pushManifest(client: RegistryClient, repo: Repo, reference: string, bytes: Uint8Array, mediaType: string, signal?: AbortSignal): Promise<string> {
  const ep = client.upstream(repo);
  const res = await client.request(ep, repo.path, `/v2/${repo.path}/manifests/${reference}`, {
    method: 'PUT', actions: 'pull,push', body: bytes, headers: { 'content-type': mediaType }, signal,
  });
  if (res.status !== 201) throw unavailable(`push manifest ${repo.path}:${reference}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  await res.body?.cancel();
  return res.headers.get('docker-content-digest') ?? '';
}

// Garbage collection of a registry root: takes `_gc.lock` (writes of a running registry wait
// while it is held), waits a moment for writes already past the gate, marks from every manifest
// of every repository, sweeps unmarked blobs older than the grace period, drops blob links
// whose blob is gone and upload sessions older than a day.
import { open, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError } from '../../errors/errors.ts';
import { parseManifest, referencedDigests } from '../protocol/manifest.ts';
import { BlobStore } from '../storage/blob-store.ts';
import { Layout } from '../storage/layout.ts';
import { RepoStore } from '../storage/repo-store.ts';
import { UploadStore } from '../storage/upload-store.ts';
import { planGc, type ManifestNode, type StoredBlob } from './gc-plan.ts';

export interface GcOptions {
  dryRun: boolean;
  /** Blobs younger than this are never swept (a push may not have sent its manifest yet). */
  graceMs: number;
  /** How long to wait after taking the lock for writes already in flight. */
  settleMs?: number;
  uploadMaxAgeMs?: number;
  log?: (line: string) => void;
}

export interface GcReport {
  removed: string[];
  bytes: number;
  kept: number;
  uploadsRemoved: number;
}

async function takeLock(path: string): Promise<() => Promise<void>> {
  try {
    const fh = await open(path, 'wx');
    await fh.writeFile(String(process.pid));
    await fh.close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new BerthError('Conflict', `garbage collection already running (${path} exists; remove it if its process is gone)`);
    }
    throw err;
  }
  return () => rm(path, { force: true });
}

export async function collectGarbage(root: string, opts: GcOptions): Promise<GcReport> {
  const layout = new Layout(root);
  const blobs = new BlobStore(layout);
  const repos = new RepoStore(layout);
  const uploads = new UploadStore(layout, blobs);
  const release = opts.dryRun ? async () => {} : await takeLock(layout.gcLock());
  try {
    if (!opts.dryRun) await sleep(opts.settleMs ?? 1000);
    const nodes: ManifestNode[] = [];
    const names = await repos.names();
    for (const name of names) {
      for (const digest of await repos.revisions(name)) {
        const rev = await repos.getRevision(name, digest);
        try {
          const p = parseManifest((await blobs.readAll(digest)).toString('utf8'), rev?.mediaType);
          nodes.push({ digest, refs: referencedDigests(p), subject: p.subject?.digest });
        } catch {
          nodes.push({ digest });
        }
      }
    }
    const stored: StoredBlob[] = [];
    for await (const b of blobs.list()) stored.push(b);
    const plan = planGc(nodes, stored, Date.now(), opts.graceMs);
    for (const b of plan.sweep) {
      opts.log?.(`${opts.dryRun ? 'would remove' : 'remove'} ${b.digest} (${b.size} bytes)`);
      if (!opts.dryRun) await blobs.delete(b.digest);
    }
    if (!opts.dryRun) {
      for (const name of names) {
        for (const d of await repos.blobLinks(name)) if (!(await blobs.stat(d))) await repos.unlinkBlob(name, d);
      }
    }
    let uploadsRemoved = 0;
    const maxAge = opts.uploadMaxAgeMs ?? 24 * 3600 * 1000;
    for (const u of await uploads.list()) {
      if (Date.now() - u.startedAt < maxAge) continue;
      uploadsRemoved++;
      if (!opts.dryRun) await uploads.remove(u.id);
    }
    return { removed: plan.sweep.map((b) => b.digest), bytes: plan.bytes, kept: plan.keep.size, uploadsRemoved };
  } finally {
    await release();
  }
}

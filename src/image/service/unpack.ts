// Unpacks an image's layers into committed snapshots named by chain id. Every missing layer is
// applied at once (overlay whiteout mode writes an upper dir that does not need its lowers) into
// its own active snapshot, then committed in order on its parent chain. Unpacks of the same chain
// id in this process are shared. The layer's bytes come from `open` (a registry download teed
// into the content store, or the content store itself) and are checked against the diff id.
import { randomBytes } from '../../sys/random.ts';
import { wrap } from '../../errors/errors.ts';
import { applyLayer } from '../layer/apply.ts';
import type { MetadataStore } from '../metadata/metadata-store.ts';
import { chainIds } from '../snapshot/chain-id.ts';
import { diskUsage, type OverlaySnapshotter } from '../snapshot/snapshotter.ts';

export interface LayerSource {
  diffId: string;
  /** The compressed size when known (a large layer is applied in a worker thread). */
  size?: number;
  /** Opens the (possibly compressed) layer stream; called only when the layer is missing. */
  open: () => AsyncIterable<Uint8Array>;
  /** Called after a successful apply (e.g. to commit the teed blob). */
  done?: () => Promise<void>;
  /** Called when the apply failed or was not needed after open. */
  abort?: () => Promise<void>;
  onStart?: () => void;
  onExists?: () => void;
}

export interface UnpackContext {
  snapshots: OverlaySnapshotter;
  meta: MetadataStore;
  /** In-flight unpacks by chain id, shared by all callers of this service. */
  inflight: Map<string, Promise<void>>;
  signal?: AbortSignal;
  /** Parallel layer applies (default 3, as Docker's max-concurrent-downloads). */
  concurrency?: number;
}

function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

export async function unpackLayers(ctx: UnpackContext, layers: LayerSource[]): Promise<string[]> {
  const chains = chainIds(layers.map((l) => l.diffId));
  const limit = limiter(ctx.concurrency ?? 3);
  const jobs: Promise<void>[] = [];
  for (const [i, layer] of layers.entries()) {
    const chain = chains[i];
    const parent = i > 0 ? chains[i - 1] : '';
    const parentJob = i > 0 ? jobs[i - 1] : Promise.resolve();
    if (ctx.snapshots.exists(chain)) {
      layer.onExists?.();
      jobs.push(Promise.resolve());
      continue;
    }
    const running = ctx.inflight.get(chain);
    if (running) {
      layer.onExists?.();
      jobs.push(running);
      continue;
    }
    const job = (async () => {
      const key = `extract-${randomBytes(4).toString('hex')}-${chain}`;
      let ok = false;
      try {
        const applied = await limit(async () => {
          await ctx.snapshots.prepare(key);
          layer.onStart?.();
          return applyLayer(layer.open(), ctx.snapshots.upperDir(key), { whiteouts: 'overlay', expectDiffID: layer.diffId, signal: ctx.signal, size: layer.size });
        });
        // The layer's files on disk: the extractor's count of what it made when it has one, else
        // a walk, taken while the blob's fsync (started when its download ended) finishes.
        const upper = applied.usage ?? diskUsage(ctx.snapshots.upperDir(key));
        await layer.done?.();
        ok = true;
        await parentJob;
        if (!ctx.snapshots.exists(chain)) {
          await ctx.snapshots.commit(chain, key, { parent });
          // With the snapshot's own dir as the commit left it (its work dir removed): what du finds.
          const { size } = ctx.snapshots.usage(chain, upper);
          ctx.meta.putChain({ chainId: chain, diffId: layer.diffId, parent, size });
        } else await ctx.snapshots.remove(key);
      } catch (e) {
        if (!ok) await layer.abort?.().catch(() => {});
        if (ctx.snapshots.exists(key)) await ctx.snapshots.remove(key).catch(() => {});
        throw wrap(`unpack layer ${layer.diffId}`, e);
      }
    })();
    job.catch(() => {});
    ctx.inflight.set(chain, job);
    void job.finally(() => ctx.inflight.delete(chain)).catch(() => {});
    jobs.push(job);
  }
  await Promise.all(jobs);
  return chains;
}

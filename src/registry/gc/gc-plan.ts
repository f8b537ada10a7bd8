// @pure
// Mark and sweep decisions of garbage collection: from every manifest of every repository,
// mark it and what it references (config, layers, child manifests of indexes, subjects);
// every stored blob not marked and older than the grace period is swept.

export interface ManifestNode {
  digest: string;
  /** Digests it references; undefined when the manifest content is missing or unreadable. */
  refs?: string[];
  subject?: string;
}

export interface StoredBlob {
  digest: string;
  size: number;
  mtimeMs: number;
}

export interface GcPlan {
  keep: Set<string>;
  sweep: StoredBlob[];
  bytes: number;
}

export function planGc(manifests: ManifestNode[], blobs: StoredBlob[], now: number, graceMs: number): GcPlan {
  const byDigest = new Map(manifests.map((m) => [m.digest, m]));
  const keep = new Set<string>();
  const stack = manifests.map((m) => m.digest);
  while (stack.length) {
    const d = stack.pop()!;
    if (keep.has(d)) continue;
    keep.add(d);
    const m = byDigest.get(d);
    for (const r of m?.refs ?? []) if (!keep.has(r)) stack.push(r);
    if (m?.subject && !keep.has(m.subject)) stack.push(m.subject);
  }
  const sweep = blobs.filter((b) => !keep.has(b.digest) && now - b.mtimeMs >= graceMs);
  return { keep, sweep, bytes: sweep.reduce((n, b) => n + b.size, 0) };
}

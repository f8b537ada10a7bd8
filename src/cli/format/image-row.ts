// @pure
// Docker's image formatter: one row per repository:tag (and per digest with --digests), dangling
// images as <none> <none>; the columns of `berth images`.
import { goTimeString } from './go-time.ts';
import { humanDuration, humanSize } from './human-units.ts';
import { truncateId } from './container-row.ts';
import { familiarName, parseRef } from '../reference.ts';

export interface ApiImage {
  Id: string; ParentId?: string; RepoTags?: string[] | null; RepoDigests?: string[] | null; Created: number;
  Size: number; SharedSize?: number; VirtualSize?: number; Containers?: number; Labels?: Record<string, string> | null;
}

export const IMAGES_TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const IMAGES_TABLE_DIGESTS = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const IMAGE_HEADERS: Record<string, string> = {
  Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT',
  Size: 'SIZE', Containers: 'CONTAINERS', SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE', VirtualSize: 'VIRTUAL SIZE',
};

function isDangling(i: ApiImage): boolean {
  const t = i.RepoTags ?? [];
  const d = i.RepoDigests ?? [];
  if (!t.length && !d.length) return true;
  return t.length === 1 && t[0] === '<none>:<none>' && d.length === 1 && d[0] === '<none>@<none>';
}

function row(i: ApiImage, repo: string, tag: string, digest: string, o: { trunc: boolean; now: number }): Record<string, string> {
  const shared = i.SharedSize ?? -1;
  return {
    Containers: i.Containers === undefined || i.Containers === -1 ? 'N/A' : String(i.Containers),
    CreatedAt: goTimeString(i.Created * 1000),
    CreatedSince: `${humanDuration(Math.max(0, o.now - i.Created * 1000))} ago`,
    Digest: digest,
    ID: o.trunc ? truncateId(i.Id) : i.Id,
    Repository: repo,
    SharedSize: shared === -1 ? 'N/A' : humanSize(shared, 4),
    Size: humanSize(i.Size),
    Tag: tag,
    UniqueSize: shared === -1 ? 'N/A' : humanSize(i.Size - shared, 4),
    // The docker CLI: Size with 3 significant digits, the others with go-units' HumanSize (4).
    VirtualSize: humanSize(i.VirtualSize ?? i.Size, 4),
  };
}

export function imageRows(images: readonly ApiImage[], o: { trunc: boolean; digests: boolean; now: number }): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const img of images) {
    if (isDangling(img)) { out.push(row(img, '<none>', '<none>', '<none>', o)); continue; }
    const tags = new Map<string, string[]>();
    const digests = new Map<string, string[]>();
    for (const s of img.RepoTags ?? []) {
      try {
        const r = parseRef(s);
        if (r.tag !== undefined) { const n = familiarName(r); tags.set(n, [...(tags.get(n) ?? []), r.tag]); }
      } catch { /* skip */ }
    }
    for (const s of img.RepoDigests ?? []) {
      try {
        const r = parseRef(s);
        if (r.digest) { const n = familiarName(r); digests.set(n, [...(digests.get(n) ?? []), r.digest]); }
      } catch { /* skip */ }
    }
    for (const [repo, ts] of tags) {
      const ds = o.digests ? digests.get(repo) ?? [] : [];
      digests.delete(repo);
      for (const t of ts) {
        if (!ds.length) out.push(row(img, repo, t, '<none>', o));
        else for (const d of ds) out.push(row(img, repo, t, d, o));
      }
    }
    for (const [repo, ds] of digests) {
      if (o.digests) for (const d of ds) out.push(row(img, repo, '<none>', d, o));
      else out.push(row(img, repo, '<none>', '', o));
    }
  }
  return out;
}

// Repositories: blob links, manifest revisions, tags and the referrers index. Every link is a
// small file written atomically (temp + rename), so readers see the old or the new value.
import { mkdir, readFile, readdir, rm, stat, rename, writeFile, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isValidName, isValidTag, parseDigest } from '../protocol/reference.ts';
import type { Descriptor } from '../protocol/manifest.ts';
import type { Layout } from './layout.ts';

export interface Revision {
  digest: string;
  mediaType: string;
}

async function writeLink(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

export class RepoStore {
  readonly layout: Layout;
  constructor(layout: Layout) {
    this.layout = layout;
  }

  async exists(name: string): Promise<boolean> {
    return (await exists(join(this.layout.repoDir(name), '_manifests'))) || (await exists(join(this.layout.repoDir(name), '_layers')));
  }

  // -- blobs linked into a repository
  async linkBlob(name: string, digest: string): Promise<void> {
    const p = this.layout.layerLink(name, digest);
    if (!(await exists(p))) await writeLink(p, digest);
  }
  async hasBlob(name: string, digest: string): Promise<boolean> {
    return exists(this.layout.layerLink(name, digest));
  }
  async unlinkBlob(name: string, digest: string): Promise<boolean> {
    const p = this.layout.layerLink(name, digest);
    if (!(await exists(p))) return false;
    await rm(p, { force: true });
    return true;
  }
  async blobLinks(name: string): Promise<string[]> {
    const dir = join(this.layout.repoDir(name), '_layers');
    const out: string[] = [];
    for (const alg of await list(dir)) for (const hex of await list(join(dir, alg))) if (parseDigest(`${alg}:${hex}`)) out.push(`${alg}:${hex}`);
    return out;
  }

  // -- manifests
  async putRevision(name: string, rev: Revision): Promise<void> {
    await writeLink(this.layout.revisionLink(name, rev.digest), JSON.stringify({ mediaType: rev.mediaType }));
  }
  async getRevision(name: string, digest: string): Promise<Revision | undefined> {
    try {
      const { mediaType } = JSON.parse(await readFile(this.layout.revisionLink(name, digest), 'utf8')) as { mediaType: string };
      return { digest, mediaType };
    } catch {
      return undefined;
    }
  }
  async deleteRevision(name: string, digest: string): Promise<boolean> {
    const p = this.layout.revisionLink(name, digest);
    if (!(await exists(p))) return false;
    await rm(p, { force: true });
    for (const tag of await this.tags(name)) {
      if ((await this.resolveTag(name, tag)) === digest) await rm(this.layout.tagLink(name, tag), { force: true });
    }
    return true;
  }
  async revisions(name: string): Promise<string[]> {
    const dir = this.layout.revisionsDir(name);
    const out: string[] = [];
    for (const alg of await list(dir)) for (const hex of await list(join(dir, alg))) if (parseDigest(`${alg}:${hex}`)) out.push(`${alg}:${hex}`);
    return out;
  }

  // -- tags
  async tag(name: string, tag: string, digest: string): Promise<void> {
    await writeLink(this.layout.tagLink(name, tag), digest);
  }
  async resolveTag(name: string, tag: string): Promise<string | undefined> {
    try {
      const d = (await readFile(this.layout.tagLink(name, tag), 'utf8')).trim();
      return parseDigest(d) ? d : undefined;
    } catch {
      return undefined;
    }
  }
  async untag(name: string, tag: string): Promise<boolean> {
    const p = this.layout.tagLink(name, tag);
    if (!(await exists(p))) return false;
    await rm(p, { force: true });
    return true;
  }
  async tags(name: string): Promise<string[]> {
    return (await list(this.layout.tagsDir(name))).filter((t) => isValidTag(t));
  }

  // -- referrers
  async addReferrer(name: string, subject: string, desc: Descriptor): Promise<void> {
    await writeLink(this.layout.referrerEntry(name, subject, desc.digest), JSON.stringify(desc));
  }
  async removeReferrer(name: string, subject: string, digest: string): Promise<void> {
    await rm(this.layout.referrerEntry(name, subject, digest), { force: true });
    await rmdir(this.layout.referrersDir(name, subject)).catch(() => {});
  }
  async referrers(name: string, subject: string): Promise<Descriptor[]> {
    const dir = this.layout.referrersDir(name, subject);
    const out: Descriptor[] = [];
    for (const f of (await list(dir)).filter((f) => !f.endsWith('.tmp')).sort()) {
      try {
        out.push(JSON.parse(await readFile(join(dir, f), 'utf8')) as Descriptor);
      } catch { /* removed meanwhile */ }
    }
    return out;
  }

  /** Every repository name (directories holding `_manifests` or `_layers`), sorted. */
  async names(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
      if (depth > 32) return;
      const entries = await list(dir);
      if (prefix && (entries.includes('_manifests') || entries.includes('_layers'))) out.push(prefix);
      for (const e of entries) {
        if (e.startsWith('_') || e.endsWith('.tmp')) continue;
        const name = prefix ? `${prefix}/${e}` : e;
        if (!isValidName(name)) continue;
        await walk(join(dir, e), name, depth + 1);
      }
    };
    await walk(this.layout.reposDir(), '', 0);
    return out.sort();
  }
}

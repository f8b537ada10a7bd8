// Where things live under the storage root. Names and digests are validated before they get
// here (protocol/reference.ts), so every path stays under the root.
//
//   blobs/<alg>/<hex[0:2]>/<hex>/data             content, manifests included
//   uploads/<uuid>/data, uploads/<uuid>/info.json  upload sessions (resumable across restarts)
//   repositories/<name>/_layers/<alg>/<hex>        blob linked into the repository
//   repositories/<name>/_manifests/revisions/<alg>/<hex>   manifest in the repository (JSON: mediaType)
//   repositories/<name>/_manifests/tags/<tag>      digest the tag points at
//   repositories/<name>/_referrers/<alg>/<subject hex>/<alg>-<hex>  descriptor of a referrer
//   _gc.lock                                       present while garbage collection runs
import { join } from 'node:path';
import { parseDigest } from '../protocol/reference.ts';
import { BerthError } from '../../errors/errors.ts';

export class Layout {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  private split(digest: string): { algorithm: string; hex: string } {
    const d = parseDigest(digest);
    if (!d) throw new BerthError('InvalidArgument', `invalid digest ${digest}`);
    return d;
  }

  blobsDir(): string { return join(this.root, 'blobs'); }
  blobDir(digest: string): string {
    const { algorithm, hex } = this.split(digest);
    return join(this.root, 'blobs', algorithm, hex.slice(0, 2), hex);
  }
  blobData(digest: string): string { return join(this.blobDir(digest), 'data'); }

  uploadsDir(): string { return join(this.root, 'uploads'); }
  uploadDir(id: string): string { return join(this.root, 'uploads', id); }

  reposDir(): string { return join(this.root, 'repositories'); }
  repoDir(name: string): string { return join(this.root, 'repositories', ...name.split('/')); }
  layerLink(name: string, digest: string): string {
    const { algorithm, hex } = this.split(digest);
    return join(this.repoDir(name), '_layers', algorithm, hex);
  }
  revisionsDir(name: string): string { return join(this.repoDir(name), '_manifests', 'revisions'); }
  revisionLink(name: string, digest: string): string {
    const { algorithm, hex } = this.split(digest);
    return join(this.revisionsDir(name), algorithm, hex);
  }
  tagsDir(name: string): string { return join(this.repoDir(name), '_manifests', 'tags'); }
  tagLink(name: string, tag: string): string { return join(this.tagsDir(name), tag); }
  referrersDir(name: string, subject: string): string {
    const { algorithm, hex } = this.split(subject);
    return join(this.repoDir(name), '_referrers', algorithm, hex);
  }
  referrerEntry(name: string, subject: string, digest: string): string {
    return join(this.referrersDir(name, subject), digest.replace(':', '-'));
  }
  gcLock(): string { return join(this.root, '_gc.lock'); }
}

// `docker rmi` as moby's daemon/images/image_delete.go decides it: a name untags (and, when it was
// the last tag of its repository, the digest references of that repository go too); the image is
// deleted when no reference is left. Containers using the image make conflicts with Docker's
// messages: a stopped one is a soft conflict (`--force` overrides), a running one a hard one
// (`--force` only untags). By id, every reference goes unless they span several repositories.
import { conflict } from '../../errors/errors.ts';
import type { MetadataStore } from '../metadata/metadata-store.ts';
import { parseNormalizedNamed, referenceName } from '../reference/reference.ts';
import { familiar } from './inspect.ts';

export interface ImageUser { id: string; running: boolean }

export interface RemoveResult {
  Untagged?: string;
  Deleted?: string;
}

const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
const isDigestRef = (ref: string): boolean => ref.includes('@');
const refName = (ref: string): string => (isDigestRef(ref) ? ref.slice(0, ref.indexOf('@')) : ref.slice(0, ref.lastIndexOf(':')));

export function isImageIdPrefix(id: string, s: string): boolean {
  return s.length > 0 && (id.startsWith(s) || id.slice(id.indexOf(':') + 1).startsWith(s));
}

/** moby's isSingleReference: one tag at most and every reference within one repository. */
function isSingleReference(refs: string[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  const tags = refs.filter((r) => !isDigestRef(r));
  if (tags.length > 1) return false;
  const digestRepos = new Set(refs.filter(isDigestRef).map(refName));
  const single = tags[0] ?? refs[0];
  return digestRepos.size === 1 && digestRepos.has(refName(single));
}

function refsOf(meta: MetadataStore, id: string): string[] {
  return [...meta.tagsOf(id), ...meta.digestsOf(id)];
}

function untag(meta: MetadataStore, ref: string): RemoveResult {
  if (isDigestRef(ref)) meta.removeDigest(ref);
  else meta.removeTag(ref);
  return { Untagged: familiar(ref) };
}

export interface RemoveRequest {
  /** What the user typed. */
  name: string;
  /** The image it resolved to. */
  id: string;
  force: boolean;
  users: ImageUser[];
}

/** Untags and deletes in `meta`; the caller collects garbage afterwards when something was deleted. */
export function removeImage(meta: MetadataStore, req: RemoveRequest): RemoveResult[] {
  const { id, force, users } = req;
  const out: RemoveResult[] = [];
  let refs = refsOf(meta, id);
  let removedRepositoryRef = false;
  if (!isImageIdPrefix(id, req.name)) {
    if (!force && isSingleReference(refs) && users.length > 0) {
      throw conflict(`conflict: unable to remove repository reference "${req.name}" (must force) - container ${short(users[0].id)} is using its referenced image ${short(id)}`);
    }
    const r = parseNormalizedNamed(req.name);
    const ref = r.digest ? `${referenceName(r)}@${r.digest}` : `${referenceName(r)}:${r.tag ?? 'latest'}`;
    out.push(untag(meta, ref));
    refs = refsOf(meta, id);
    if (!r.digest && !refs.some((x) => !isDigestRef(x) && refName(x) === referenceName(r))) {
      for (const d of refs.filter((x) => isDigestRef(x) && refName(x) === referenceName(r))) out.push(untag(meta, d));
      refs = refsOf(meta, id);
    }
    if (refs.length > 0) return out;
    removedRepositoryRef = true;
  } else if (isSingleReference(refs)) {
    const running = users.find((u) => u.running);
    if (running) throw conflict(`conflict: unable to delete ${short(id)} (cannot be forced) - image is being used by running container ${short(running.id)}`);
    const stopped = users.find((u) => !u.running);
    if (stopped && !force) throw conflict(`conflict: unable to delete ${short(id)} (must be forced) - image is being used by stopped container ${short(stopped.id)}`);
    for (const r of refs) out.push(untag(meta, r));
    refs = [];
  }
  // imageDeleteHelper: hard conflicts always, soft ones unless forced.
  const running = users.find((u) => u.running);
  const stopped = users.find((u) => !u.running);
  const msg = running ? `(cannot be forced) - image is being used by running container ${short(running.id)}`
    : force ? undefined
    : refs.length > 0 ? '(must be forced) - image is referenced in multiple repositories'
    : stopped ? `(must be forced) - image is being used by stopped container ${short(stopped.id)}`
    : undefined;
  if (msg) {
    // After a name was untagged, a conflict leaves the image in place without an error.
    if (removedRepositoryRef) return out;
    throw conflict(`conflict: unable to delete ${short(id)} ${msg}`);
  }
  for (const r of refsOf(meta, id)) out.push(untag(meta, r));
  meta.deleteImage(id);
  out.push({ Deleted: id });
  return out;
}

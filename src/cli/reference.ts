// @pure
// Image references as the docker CLI normalizes them (distribution/reference, condensed):
// "busybox" → docker.io/library/busybox:latest; familiar forms for the API's fromImage/tag.
import { invalidArgument } from '../errors/errors.ts';

export interface ImageRef { domain: string; path: string; tag?: string; digest?: string }

const NAME = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$/;

export function parseRef(s: string): ImageRef {
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon); }
  const slash = rest.indexOf('/');
  let domain = 'docker.io';
  let path = rest;
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) { domain = first; path = rest.slice(slash + 1); }
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (!NAME.test(path)) throw invalidArgument(`invalid reference format${s !== s.toLowerCase() ? ': repository name (library/' + s + ') must be lowercase' : ''}`);
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) throw invalidArgument('invalid reference format');
  if (digest !== undefined && !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/.test(digest)) throw invalidArgument('invalid reference format');
  return { domain, path, tag, digest };
}

/** "busybox", "myreg:5000/x/y": the name without tag/digest, docker.io/library/ dropped. */
export function familiarName(r: ImageRef): string {
  if (r.domain !== 'docker.io') return `${r.domain}/${r.path}`;
  return r.path.startsWith('library/') ? r.path.slice(8) : r.path;
}

/** With :latest added when neither tag nor digest is given (TagNameOnly). */
export function withDefaultTag(r: ImageRef): ImageRef {
  return r.tag === undefined && r.digest === undefined ? { ...r, tag: 'latest' } : r;
}

export function familiarString(r: ImageRef): string {
  return `${familiarName(r)}${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

export function fullString(r: ImageRef): string {
  return `${r.domain}/${r.path}${r.tag !== undefined ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** Whether a string looks like an image id (sha256:hex or 12+ hex). */
export function looksLikeId(s: string): boolean {
  return /^(sha256:)?[a-f0-9]{12,64}$/.test(s);
}

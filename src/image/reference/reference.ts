// @pure
// Image references exactly as Docker parses them (github.com/distribution/reference):
// grammar, normalisation of familiar names (`busybox` → `docker.io/library/busybox`), the
// familiar form back, and Docker's error texts, which clients match on.
import { invalidArgument, type BerthError } from '../../errors/errors.ts';

export const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const LOCALHOST = 'localhost';
export const DEFAULT_TAG = 'latest';
export const NAME_TOTAL_LENGTH_MAX = 255;

// --- grammar (regexp.go) ---
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const tagPat = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;

const REFERENCE_RE = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`);
const ANCHORED_NAME_RE = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const ANCHORED_TAG_RE = new RegExp(`^${tagPat}$`);
const ANCHORED_IDENTIFIER_RE = /^[a-f0-9]{64}$/;
const DIGEST_RE = new RegExp(`^${digestPat}$`);

/** A parsed reference. `domain` may be '' only for references made by parseReference. */
export interface Reference {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

// Docker's error texts (reference/errors.go, go-digest).
export const ERR_REFERENCE_INVALID_FORMAT = 'invalid reference format';
export const ERR_TAG_INVALID_FORMAT = 'invalid tag format';
export const ERR_NAME_CONTAINS_UPPERCASE = 'repository name must be lowercase';
export const ERR_NAME_EMPTY = 'repository name must have at least one component';
export const ERR_NAME_TOO_LONG = `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`;
export const ERR_NAME_NOT_CANONICAL = 'repository name must be canonical';
export const ERR_DIGEST_INVALID_FORMAT = 'invalid checksum digest format';
export const ERR_DIGEST_INVALID_LENGTH = 'invalid checksum digest length';
export const ERR_DIGEST_UNSUPPORTED = 'unsupported digest algorithm';

const fail = (msg: string): BerthError => invalidArgument(msg);

const DIGEST_SIZES: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** go-digest's Digest.Validate. Throws with go-digest's texts. */
export function validateDigest(d: string): void {
  const i = d.indexOf(':');
  if (i <= 0 || i + 1 === d.length) throw fail(ERR_DIGEST_INVALID_FORMAT);
  const alg = d.slice(0, i);
  const enc = d.slice(i + 1);
  const size = DIGEST_SIZES[alg];
  if (size === undefined) throw fail(DIGEST_RE.test(d) ? ERR_DIGEST_UNSUPPORTED : ERR_DIGEST_INVALID_FORMAT);
  if (enc.length !== size * 2) throw fail(ERR_DIGEST_INVALID_LENGTH);
  if (!/^[a-f0-9]+$/.test(enc)) throw fail(ERR_DIGEST_INVALID_FORMAT);
}

/** reference.Parse: the grammar only, no normalisation (`busybox` has domain ''). */
export function parseReference(s: string): Reference {
  const m = REFERENCE_RE.exec(s);
  if (!m) {
    if (s === '') throw fail(ERR_NAME_EMPTY);
    if (REFERENCE_RE.test(s.toLowerCase())) throw fail(ERR_NAME_CONTAINS_UPPERCASE);
    throw fail(ERR_REFERENCE_INVALID_FORMAT);
  }
  const name = m[1];
  if (name.length > NAME_TOTAL_LENGTH_MAX) throw fail(ERR_NAME_TOO_LONG);
  const nm = ANCHORED_NAME_RE.exec(name);
  const domain = nm && nm[1] !== undefined ? nm[1] : '';
  const path = nm && nm[1] !== undefined ? nm[2] : name;
  if (m[3] !== undefined) validateDigest(m[3]);
  return build(domain, path, m[2], m[3]);
}

function build(domain: string, path: string, tag?: string, digest?: string): Reference {
  const r: { domain: string; path: string; tag?: string; digest?: string } = { domain, path };
  if (tag !== undefined && tag !== '') r.tag = tag;
  if (digest !== undefined && digest !== '') r.digest = digest;
  return r;
}

/** splitDockerDomain: which part of a familiar name is the registry. */
export function splitDockerDomain(name: string): [domain: string, remainder: string] {
  const slash = name.indexOf('/');
  if (slash < 0) return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === LOCALHOST) [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) [domain, remote] = [DEFAULT_DOMAIN, maybeRemote];
  else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, maybeRemote];
  else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, maybeRemote];
  else [domain, remote] = [DEFAULT_DOMAIN, name];
  if (domain === DEFAULT_DOMAIN && !remote.includes('/')) remote = OFFICIAL_REPO_PREFIX + remote;
  return [domain, remote];
}

/** reference.ParseNormalizedNamed: what `docker pull/run/tag` accept. Keeps tag and digest. */
export function parseNormalizedNamed(s: string): Reference {
  if (ANCHORED_IDENTIFIER_RE.test(s)) {
    throw fail(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  }
  const [domain, remainder] = splitDockerDomain(s);
  const sep = remainder.indexOf(':');
  const remote = sep > -1 ? remainder.slice(0, sep) : remainder;
  if (remote.toLowerCase() !== remote) {
    throw fail(`invalid reference format: repository name (${remote}) must be lowercase`);
  }
  return parseReference(`${domain}/${remainder}`);
}

/** reference.ParseDockerRef: normalised; `latest` when neither tag nor digest; a digest wins over a tag. */
export function parseDockerRef(s: string): Reference {
  const r = parseNormalizedNamed(s);
  if (r.digest !== undefined) return build(r.domain, r.path, undefined, r.digest);
  return tagNameOnly(r);
}

/** reference.TagNameOnly: adds `latest` to a reference with neither tag nor digest. */
export function tagNameOnly(r: Reference): Reference {
  if (r.tag === undefined && r.digest === undefined) return build(r.domain, r.path, DEFAULT_TAG);
  return r;
}

/** reference.WithTag */
export function withTag(r: Reference, tag: string): Reference {
  if (!ANCHORED_TAG_RE.test(tag)) throw fail(ERR_TAG_INVALID_FORMAT);
  return build(r.domain, r.path, tag, r.digest);
}

/** reference.WithDigest */
export function withDigest(r: Reference, digest: string): Reference {
  if (!DIGEST_RE.test(digest)) throw fail(ERR_DIGEST_INVALID_FORMAT);
  return build(r.domain, r.path, r.tag, digest);
}

/** Name(): `docker.io/library/busybox` */
export function referenceName(r: Reference): string {
  return r.domain ? `${r.domain}/${r.path}` : r.path;
}

/** String(): `docker.io/library/busybox:latest@sha256:…` */
export function referenceString(r: Reference): string {
  return referenceName(r) + (r.tag !== undefined ? `:${r.tag}` : '') + (r.digest !== undefined ? `@${r.digest}` : '');
}

/** FamiliarName(): `docker.io/library/busybox` → `busybox`, `docker.io/user/x` → `user/x`. */
export function familiarName(r: Reference): string {
  if (r.domain !== DEFAULT_DOMAIN) return referenceName(r);
  if (r.path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const rest = r.path.slice(OFFICIAL_REPO_PREFIX.length);
    if (!rest.includes('/')) return rest;
  }
  return r.path;
}

/** FamiliarString(): the familiar name with tag and digest. */
export function familiarString(r: Reference): string {
  return familiarName(r) + (r.tag !== undefined ? `:${r.tag}` : '') + (r.digest !== undefined ? `@${r.digest}` : '');
}

/** True when the reference has neither tag nor digest. */
export function isNameOnly(r: Reference): boolean {
  return r.tag === undefined && r.digest === undefined;
}

/**
 * reference.ParseAnyReference: a bare 64-hex id or `sha256:<hex>` is a digest reference
 * (returned as `{ digest }`), anything else a normalised name.
 */
export function parseAnyReference(s: string): { digest: string } | Reference {
  if (ANCHORED_IDENTIFIER_RE.test(s)) return { digest: `sha256:${s}` };
  try {
    validateDigest(s);
    return { digest: s };
  } catch {
    return parseNormalizedNamed(s);
  }
}

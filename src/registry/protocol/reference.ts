// @pure
// Repository names, tags and digests as the distribution spec defines them. A name that passes
// isValidName cannot contain `..`, an empty component or a component starting with `_` or `.`,
// so it is safe to use as a relative path under the storage root.

export type Digest = string & { readonly __brand: 'Digest' };

const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
export const NAME_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
export const TAG_RE = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
export const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const SHA256_HEX = /^[a-f0-9]{64}$/;
const SHA512_HEX = /^[a-f0-9]{128}$/;

/** Name length limit (docker/distribution's: host + name under 256 characters). */
export const MAX_NAME_LENGTH = 255;

export function isValidName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && NAME_RE.test(name);
}

export function isValidTag(tag: string): boolean {
  return TAG_RE.test(tag);
}

export interface ParsedDigest {
  algorithm: 'sha256' | 'sha512';
  hex: string;
}

/** Parses a digest this registry can store (sha256 or sha512); undefined for anything else. */
export function parseDigest(s: string): ParsedDigest | undefined {
  if (!DIGEST_RE.test(s)) return undefined;
  const i = s.indexOf(':');
  const algorithm = s.slice(0, i);
  const hex = s.slice(i + 1);
  if (algorithm === 'sha256' && SHA256_HEX.test(hex)) return { algorithm, hex };
  if (algorithm === 'sha512' && SHA512_HEX.test(hex)) return { algorithm, hex };
  return undefined;
}

export function isDigest(s: string): s is Digest {
  return parseDigest(s) !== undefined;
}

/** True when the reference looks like a digest (has an algorithm prefix), valid or not. */
export function looksLikeDigest(ref: string): boolean {
  return ref.includes(':');
}

/** The referrers tag schema's tag for a digest (`sha256-<hex>`). */
export function referrersTag(digest: string): string {
  const i = digest.indexOf(':');
  const alg = digest.slice(0, i).slice(0, 32);
  const enc = digest.slice(i + 1).slice(0, 64);
  return `${alg}-${enc}`.replace(/[^a-zA-Z0-9._-]/g, '-');
}

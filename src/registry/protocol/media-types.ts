// @pure
// Media types the registry stores and negotiates.

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST_V1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
export const OCTET_STREAM = 'application/octet-stream';
export const JSON_TYPE = 'application/json';

export type ManifestMediaType = typeof OCI_MANIFEST | typeof OCI_INDEX | typeof DOCKER_MANIFEST | typeof DOCKER_MANIFEST_LIST;

export const MANIFEST_MEDIA_TYPES: readonly ManifestMediaType[] = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST];

export function isManifestMediaType(t: string): t is ManifestMediaType {
  return (MANIFEST_MEDIA_TYPES as readonly string[]).includes(t);
}

export function isIndexMediaType(t: string): boolean {
  return t === OCI_INDEX || t === DOCKER_MANIFEST_LIST;
}

/** Media type without parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
export function bareMediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Whether a client's Accept header admits a stored manifest of `mediaType`. A missing Accept
 * header, `*\/*` or `application/*` admit everything (curl, older clients).
 */
export function acceptsManifest(accept: string | string[] | undefined, mediaType: string): boolean {
  const values = (Array.isArray(accept) ? accept : [accept ?? ''])
    .flatMap((h) => h.split(','))
    .map((v) => bareMediaType(v))
    .filter((v) => v !== '');
  if (values.length === 0) return true;
  return values.some((v) => v === '*/*' || v === 'application/*' || v === mediaType);
}

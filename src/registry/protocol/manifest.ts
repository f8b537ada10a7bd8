// @pure
// Parses a pushed manifest or index: checks its shape and returns what it refers to, so the
// server can check that the referenced blobs and manifests exist and record its subject.
import { RegistryError } from './errors.ts';
import { isDigest } from './reference.ts';
import { bareMediaType, isIndexMediaType, isManifestMediaType, DOCKER_MANIFEST_V1_SIGNED, OCI_INDEX, OCI_MANIFEST } from './media-types.ts';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  urls?: string[];
  platform?: unknown;
}

export interface ParsedManifest {
  mediaType: string;
  /** Blobs (config and layers) that must exist in the repository; foreign layers (with urls) excluded. */
  blobs: string[];
  /** Child manifests of an index. */
  manifests: string[];
  subject?: Descriptor;
  /** For the referrers API: artifactType, else config media type (image manifests only). */
  artifactType?: string;
  annotations?: Record<string, string>;
}

function invalid(detail: string): RegistryError {
  return new RegistryError('MANIFEST_INVALID', `manifest invalid: ${detail}`, { detail });
}

function descriptor(v: unknown, where: string): Descriptor {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${where} is not a descriptor`);
  const d = v as Record<string, unknown>;
  if (typeof d.mediaType !== 'string' || d.mediaType === '') throw invalid(`${where}.mediaType missing`);
  if (typeof d.digest !== 'string' || !isDigest(d.digest)) throw invalid(`${where}.digest invalid`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) throw invalid(`${where}.size invalid`);
  if (d.urls !== undefined && (!Array.isArray(d.urls) || d.urls.some((u) => typeof u !== 'string'))) throw invalid(`${where}.urls invalid`);
  return d as unknown as Descriptor;
}

function annotations(v: unknown): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw invalid('annotations must map strings to strings');
  }
  return v as Record<string, string>;
}

/**
 * Parses `body` pushed with `contentType`. The media type is the body's `mediaType` field, else
 * the Content-Type; the two must agree when both are given.
 */
export function parseManifest(body: string, contentType: string | undefined): ParsedManifest {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    throw invalid('not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid('not a JSON object');
  const m = doc as Record<string, unknown>;
  const header = bareMediaType(contentType);
  if (header === DOCKER_MANIFEST_V1_SIGNED || m.schemaVersion === 1) {
    throw new RegistryError('MANIFEST_INVALID', 'schema 1 manifests are not supported', { detail: 'schemaVersion 1' });
  }
  if (m.schemaVersion !== 2) throw invalid('schemaVersion must be 2');
  const field = typeof m.mediaType === 'string' ? m.mediaType : undefined;
  if (field !== undefined && isManifestMediaType(header) && field !== header) {
    throw invalid(`mediaType ${field} does not match Content-Type ${header}`);
  }
  let mediaType = field ?? (isManifestMediaType(header) ? header : undefined);
  if (mediaType === undefined) mediaType = Array.isArray(m.manifests) ? OCI_INDEX : OCI_MANIFEST;
  if (!isManifestMediaType(mediaType)) throw invalid(`unsupported mediaType ${mediaType}`);

  const subject = m.subject === undefined ? undefined : descriptor(m.subject, 'subject');
  const ann = annotations(m.annotations);
  const artifact = typeof m.artifactType === 'string' && m.artifactType !== '' ? m.artifactType : undefined;
  if (isIndexMediaType(mediaType)) {
    if (!Array.isArray(m.manifests)) throw invalid('index without manifests');
    const children = m.manifests.map((d, i) => descriptor(d, `manifests[${i}]`));
    return { mediaType, blobs: [], manifests: children.map((d) => d.digest), subject, artifactType: artifact, annotations: ann };
  }
  const config = descriptor(m.config, 'config');
  if (!Array.isArray(m.layers)) throw invalid('manifest without layers');
  const layers = m.layers.map((d, i) => descriptor(d, `layers[${i}]`));
  const blobs = [config.digest, ...layers.filter((l) => !l.urls?.length).map((l) => l.digest)];
  return { mediaType, blobs, manifests: [], subject, artifactType: artifact ?? config.mediaType, annotations: ann };
}

/** Every digest a stored manifest keeps alive (for garbage collection): blobs, children, foreign layers excluded. */
export function referencedDigests(p: ParsedManifest): string[] {
  return [...p.blobs, ...p.manifests];
}

// save: one tar that is both an OCI image layout (oci-layout, index.json, blobs/sha256/…) and a
// `docker save` archive (manifest.json), as Docker 25+ writes it. Blobs are written as stored
// (layers compressed as pulled); each blob once even when images share it.
import { makeHeader } from '../tar/header.ts';
import { writeTar, type WriteEntry } from '../tar/writer.ts';
import { parseNormalizedNamed, familiarString, referenceName } from '../reference/reference.ts';
import type { ServiceParts } from './parts.ts';
import { isNonDistributable, type Descriptor, type ImageManifest } from './types.ts';
import { failedPrecondition } from '../../errors/errors.ts';

const blobPath = (d: string): string => `blobs/sha256/${d.slice(7)}`;

export async function* saveArchive(parts: ServiceParts, refs: { id: string; name: string }[]): AsyncGenerator<Uint8Array> {
  const { content, meta } = parts;
  const index: Descriptor[] = [];
  const legacy: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  const blobs = new Map<string, number>();
  for (const { id, name } of refs) {
    const rec = meta.getImage(id)!;
    const mbytes = await content.read(rec.manifestDigest);
    const m = JSON.parse(mbytes.toString('utf8')) as ImageManifest;
    let tags: string[];
    if (/^(sha256:)?[a-f0-9]{6,64}$/.test(name)) tags = meta.tagsOf(id);
    else {
      const r = parseNormalizedNamed(name);
      tags = r.digest ? [] : [`${referenceName(r)}:${r.tag ?? 'latest'}`];
    }
    const desc = { mediaType: m.mediaType ?? rec.manifestMediaType, digest: rec.manifestDigest, size: mbytes.length };
    if (tags.length === 0) index.push(desc);
    for (const t of tags) {
      index.push({ ...desc, annotations: { 'io.containerd.image.name': t, 'org.opencontainers.image.ref.name': t.slice(t.lastIndexOf(':') + 1) } });
    }
    // One manifest.json entry per image, with all its saved tags (as docker save writes it).
    const shown = tags.map((t) => familiarString(parseNormalizedNamed(t)));
    const same = legacy.find((e) => e.Config === blobPath(m.config.digest));
    if (same) same.RepoTags.push(...shown.filter((t) => !same.RepoTags.includes(t)));
    else legacy.push({ Config: blobPath(m.config.digest), RepoTags: shown, Layers: m.layers.map((l) => blobPath(l.digest)) });
    for (const d of [rec.manifestDigest, m.config.digest, ...m.layers.map((l) => l.digest)]) {
      if (blobs.has(d)) continue;
      const info = await content.info(d);
      if (info) blobs.set(d, info.size);
      else if (!m.layers.some((l) => l.digest === d && isNonDistributable(l.mediaType))) throw failedPrecondition(`save ${name}: blob ${d} is not in the content store`);
    }
  }
  const dir = (name: string): WriteEntry => ({ header: makeHeader({ name, type: 'directory', mode: 0o755, size: 0 }) });
  const file = (name: string, data: string): WriteEntry => {
    const b = Buffer.from(data);
    return { header: makeHeader({ name, type: 'file', mode: 0o644, size: b.length }), body: b };
  };
  async function* entries(): AsyncGenerator<WriteEntry> {
    yield dir('blobs/');
    yield dir('blobs/sha256/');
    for (const [d, size] of blobs) {
      yield { header: makeHeader({ name: blobPath(d), type: 'file', mode: 0o644, size }), body: content.reader(d) };
    }
    yield file('index.json', JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: index }));
    yield file('manifest.json', JSON.stringify(legacy));
    yield file('oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  }
  yield* writeTar(entries());
}

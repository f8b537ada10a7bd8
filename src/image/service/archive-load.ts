// load: `docker save` archives (legacy manifest.json with <id>/layer.tar or <hex>.tar layers, as
// Docker < 25 and `skopeo copy … docker-archive:` write them) and OCI image archives (an image
// layout in a tar, `skopeo copy … oci-archive:`; Docker 25+ writes both at once). One pass over
// the tar: every file goes into the content store (blobs/sha256/<hex> checked against its name),
// small JSON files are kept in memory; then images are assembled, unpacked and recorded. When an
// index.json is there its manifests are used as they are (digests survive a save/load round trip);
// otherwise a Docker schema2 manifest is made for the legacy entries.
import { posix } from 'node:path';
import { invalidArgument, notFound } from '../../errors/errors.ts';
import { readTar } from '../tar/reader.ts';
import { parseNormalizedNamed, referenceName } from '../reference/reference.ts';
import { selectManifest, type IndexEntry, type Platform } from '../../registry/client/platform.ts';
import type { ServiceParts } from './parts.ts';
import { isIndex, layerMediaType, MT, type Descriptor, type ImageConfig, type ImageManifest } from './types.ts';
import { unpackLayers } from './unpack.ts';
import { recordImage } from './record.ts';
import { familiar } from './inspect.ts';
import { withUncompressed } from '../layer/decompress.ts';

interface Loaded {
  files: Map<string, string>;
  json: Map<string, Buffer>;
}

const BLOB_RE = /^blobs\/sha256\/([a-f0-9]{64})$/;

async function readArchive(parts: ServiceParts, archive: AsyncIterable<Uint8Array>): Promise<Loaded> {
  const files = new Map<string, string>();
  const json = new Map<string, Buffer>();
  const links = new Map<string, string>();
  for await (const e of readTar(archive)) {
    const name = posix.normalize(e.header.name).replace(/^\.?\//, '').replace(/\/$/, '');
    if (e.header.type === 'symlink') { links.set(name, posix.join(posix.dirname(name), e.header.linkname)); continue; }
    if (e.header.type === 'link') { links.set(name, posix.normalize(e.header.linkname)); continue; }
    if (e.header.type !== 'file') continue;
    const isMeta = name === 'manifest.json' || name === 'index.json' || name === 'repositories' || name === 'oci-layout' || (name.endsWith('.json') && !BLOB_RE.test(name));
    if (isMeta && e.header.size <= 8 << 20) {
      const parts_: Buffer[] = [];
      for await (const c of e.body) parts_.push(Buffer.from(c));
      const b = Buffer.concat(parts_);
      json.set(name, b);
      if (name.endsWith('.json') && name !== 'manifest.json' && name !== 'index.json') files.set(name, (await parts.content.put(b)).digest);
      continue;
    }
    const m = BLOB_RE.exec(name);
    const info = await parts.content.ingest(e.body, m ? { digest: `sha256:${m[1]}`, size: e.header.size } : { size: e.header.size });
    files.set(name, info.digest);
  }
  for (const [name, target] of links) {
    let t = target;
    for (let i = 0; i < 10 && links.has(t); i++) t = links.get(t)!;
    const d = files.get(t);
    if (d) files.set(name, d);
  }
  return { files, json };
}

async function head(parts: ServiceParts, digest: string): Promise<Uint8Array> {
  for await (const c of parts.content.reader(digest)) return c;
  return new Uint8Array();
}

interface Candidate {
  manifestDigest: string;
  manifestMediaType: string;
  manifest: ImageManifest;
  tags: string[];
}

async function fromIndex(parts: ServiceParts, l: Loaded, platform: Platform): Promise<Candidate[]> {
  const index = JSON.parse(l.json.get('index.json')!.toString('utf8')) as { manifests: Descriptor[] };
  const out: Candidate[] = [];
  for (const d of index.manifests) {
    let desc = d;
    let bytes = await parts.content.read(desc.digest);
    if (isIndex(desc.mediaType)) {
      const sub = JSON.parse(bytes.toString('utf8')) as { manifests: IndexEntry[] };
      desc = selectManifest(sub.manifests, platform) as Descriptor;
      bytes = await parts.content.read(desc.digest);
    }
    const manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest;
    const name = d.annotations?.['io.containerd.image.name'] ?? d.annotations?.['org.opencontainers.image.ref.name'];
    const tags: string[] = [];
    if (name && /[/:]/.test(name)) {
      try {
        const r = parseNormalizedNamed(name);
        if (!r.digest) tags.push(`${referenceName(r)}:${r.tag ?? 'latest'}`);
      } catch { /* a bare tag: no name to give it */ }
    }
    const prev = out.find((c) => c.manifestDigest === desc.digest);
    if (prev) prev.tags.push(...tags);
    else out.push({ manifestDigest: desc.digest, manifestMediaType: manifest.mediaType ?? desc.mediaType, manifest, tags });
  }
  return out;
}

async function fromLegacy(parts: ServiceParts, l: Loaded): Promise<Candidate[]> {
  const items = JSON.parse(l.json.get('manifest.json')!.toString('utf8')) as { Config: string; RepoTags?: string[] | null; Layers: string[] }[];
  const out: Candidate[] = [];
  for (const it of items) {
    const configDigest = l.files.get(posix.normalize(it.Config));
    if (!configDigest) throw invalidArgument(`load: config ${it.Config} is not in the archive`);
    const layers: Descriptor[] = [];
    for (const p of it.Layers) {
      const d = l.files.get(posix.normalize(p));
      if (!d) throw invalidArgument(`load: layer ${p} is not in the archive`);
      const mt = layerMediaType(await head(parts, d));
      layers.push({ mediaType: mt === MT.ociLayerGzip ? MT.dockerLayerGzip : mt === MT.ociLayer ? 'application/vnd.docker.image.rootfs.diff.tar' : mt, digest: d, size: (await parts.content.info(d))!.size });
    }
    const cfgSize = (await parts.content.info(configDigest))!.size;
    const manifest: ImageManifest = { schemaVersion: 2, mediaType: MT.dockerManifest, config: { mediaType: MT.dockerConfig, digest: configDigest, size: cfgSize }, layers };
    const bytes = Buffer.from(JSON.stringify(manifest, null, 3));
    const { digest } = await parts.content.put(bytes);
    const tags = (it.RepoTags ?? []).map((t) => { const r = parseNormalizedNamed(t); return `${referenceName(r)}:${r.tag ?? 'latest'}`; });
    out.push({ manifestDigest: digest, manifestMediaType: MT.dockerManifest, manifest, tags });
  }
  return out;
}

export async function loadArchive(parts: ServiceParts, archive: AsyncIterable<Uint8Array>, platform: Platform, opts: { onProgress?: (msg: string) => void } = {}): Promise<string[]> {
  // Docker loads compressed archives too (`docker save x | gzip`).
  let read: Loaded | undefined;
  await withUncompressed(archive, async (tar) => {
    const it = tar[Symbol.asyncIterator]();
    read = await readArchive(parts, { [Symbol.asyncIterator]: () => ({ next: () => it.next() }) });
    for (let r = await it.next(); !r.done; r = await it.next()) { /* the padding after the end marker */ }
  });
  const l = read as Loaded | undefined;
  if (!l) throw invalidArgument('load: empty archive');
  let images: Candidate[];
  if (l.json.has('index.json')) {
    images = await fromIndex(parts, l, platform);
    if (l.json.has('manifest.json')) {
      const legacy = JSON.parse(l.json.get('manifest.json')!.toString('utf8')) as { Config: string; RepoTags?: string[] | null }[];
      for (const it of legacy) {
        const c = images.find((x) => l.files.get(posix.normalize(it.Config)) === x.manifest.config.digest);
        for (const t of it.RepoTags ?? []) { const r = parseNormalizedNamed(t); const full = `${referenceName(r)}:${r.tag ?? 'latest'}`; if (c && !c.tags.includes(full)) c.tags.push(full); }
      }
    }
  } else if (l.json.has('manifest.json')) images = await fromLegacy(parts, l);
  else throw invalidArgument('load: neither manifest.json nor index.json in the archive');
  const loaded: string[] = [];
  for (const img of images) {
    const config = JSON.parse((await parts.content.read(img.manifest.config.digest)).toString('utf8')) as ImageConfig;
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== img.manifest.layers.length) throw invalidArgument(`load: config has ${diffIds.length} diff ids for ${img.manifest.layers.length} layers`);
    for (const layer of img.manifest.layers) if (!(await parts.content.has(layer.digest))) throw notFound(`load: layer ${layer.digest} is missing from the archive`);
    await unpackLayers({ snapshots: parts.snapshots, meta: parts.meta, inflight: parts.inflight }, img.manifest.layers.map((layer, i) => ({
      diffId: diffIds[i], open: () => parts.content.reader(layer.digest),
    })));
    for (const [i, layer] of img.manifest.layers.entries()) parts.meta.addLayerBlob({ diffId: diffIds[i], digest: layer.digest, mediaType: layer.mediaType, size: layer.size, source: '' });
    const id = recordImage(parts, { configDigest: img.manifest.config.digest, config, manifestDigest: img.manifestDigest, manifestMediaType: img.manifestMediaType, tags: img.tags, repoDigests: [] });
    opts.onProgress?.(img.tags.length ? `Loaded image: ${img.tags.map(familiar).join(', ')}` : `Loaded image ID: ${id}`);
    loaded.push(id);
  }
  return loaded;
}

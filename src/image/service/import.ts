// import: a root filesystem tar (plain, gzip or zstd) becomes a one-layer image. The tar is stored
// as its layer blob as given, unpacked (which computes the diff id), and the config gets the
// `--change` instructions CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE, LABEL, VOLUME (the
// Dockerfile syntax: JSON or shell form for CMD/ENTRYPOINT, `k=v` or `k v` for ENV/LABEL).
import { invalidArgument } from '../../errors/errors.ts';
import { parseDockerRef, referenceName } from '../reference/reference.ts';
import type { Platform } from '../../registry/client/platform.ts';
import type { ServiceParts } from './parts.ts';
import { layerMediaType, MT, type ContainerConfig, type ImageConfig, type ImageManifest } from './types.ts';
import { unpackLayers } from './unpack.ts';
import { withUncompressed } from '../layer/decompress.ts';
import { recordImage } from './record.ts';
import { isoTime } from '../../sys/iso-time.ts';

export interface ImportOptions {
  ref?: string;
  changes?: string[];
  message?: string;
  platform?: Platform;
}

function words(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]));
  return out;
}

function keyValues(s: string): [string, string][] {
  const w = words(s);
  if (w.length >= 1 && !w[0].includes('=')) return [[w[0], s.trim().slice(s.trim().indexOf(' ') + 1).trim()]];
  return w.map((x) => { const i = x.indexOf('='); return [x.slice(0, i), x.slice(i + 1)] as [string, string]; });
}

function execForm(s: string): string[] {
  const t = s.trim();
  if (t.startsWith('[')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    } catch { /* shell form */ }
  }
  return ['/bin/sh', '-c', t];
}

/** Applies `--change` lines to a container config. */
export function applyChanges(base: ContainerConfig, changes: string[]): ContainerConfig {
  const c: ContainerConfig = { ...base };
  for (const line of changes) {
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(line);
    if (!m) throw invalidArgument(`dockerfile parse error: ${line}`);
    const arg = m[2].trim();
    switch (m[1].toUpperCase()) {
      case 'CMD': c.Cmd = execForm(arg); break;
      case 'ENTRYPOINT': c.Entrypoint = execForm(arg); break;
      case 'WORKDIR': c.WorkingDir = arg; break;
      case 'USER': c.User = arg; break;
      case 'ENV': {
        const env = [...(c.Env ?? [])];
        for (const [k, v] of keyValues(arg)) {
          const i = env.findIndex((e) => e.startsWith(`${k}=`));
          if (i >= 0) env[i] = `${k}=${v}`; else env.push(`${k}=${v}`);
        }
        c.Env = env;
        break;
      }
      case 'LABEL': c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(keyValues(arg)) }; break;
      case 'EXPOSE': {
        c.ExposedPorts = { ...(c.ExposedPorts ?? {}) };
        for (const p of words(arg)) c.ExposedPorts[p.includes('/') ? p : `${p}/tcp`] = {};
        break;
      }
      case 'VOLUME': {
        c.Volumes = { ...(c.Volumes ?? {}) };
        const list = arg.startsWith('[') ? (JSON.parse(arg) as string[]) : words(arg);
        for (const v of list) c.Volumes[v] = {};
        break;
      }
      default: throw invalidArgument(`${m[1].toUpperCase()} is not a valid change command`);
    }
  }
  return c;
}

export async function importRootfs(parts: ServiceParts, source: AsyncIterable<Uint8Array>, opts: ImportOptions): Promise<string> {
  const platform = opts.platform ?? { os: 'linux', architecture: 'amd64' };
  const blob = await parts.content.ingest(source);
  let first: Uint8Array = new Uint8Array();
  for await (const c of parts.content.reader(blob.digest)) { first = c; break; }
  // The diff id is needed before the unpack names its chain: one pass over the decompressed tar.
  const { diffID } = await withUncompressed(parts.content.reader(blob.digest), async (s) => { for await (const _ of s) { /* hash only */ } });
  await unpackLayers({ snapshots: parts.snapshots, meta: parts.meta, inflight: parts.inflight }, [{ diffId: diffID, open: () => parts.content.reader(blob.digest) }]);
  const now = isoTime();
  const config: ImageConfig = {
    created: now, architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}),
    config: applyChanges({}, opts.changes ?? []),
    rootfs: { type: 'layers', diff_ids: [diffID] },
    history: [{ created: now, created_by: '', comment: opts.message || 'Imported from -' }],
    ...(opts.message ? { comment: opts.message } : {}),
  };
  const cfg = await parts.content.put(JSON.stringify(config));
  const layerType = layerMediaType(first);
  const manifest: ImageManifest = { schemaVersion: 2, mediaType: MT.ociManifest, config: { mediaType: MT.ociConfig, digest: cfg.digest, size: cfg.size }, layers: [{ mediaType: layerType, digest: blob.digest, size: blob.size }] };
  const man = await parts.content.put(JSON.stringify(manifest));
  parts.meta.addLayerBlob({ diffId: diffID, digest: blob.digest, mediaType: layerType, size: blob.size, source: '' });
  let tags: string[] = [];
  if (opts.ref) {
    const r = parseDockerRef(opts.ref);
    if (r.digest) throw invalidArgument('import: a digest reference cannot be a tag');
    tags = [`${referenceName(r)}:${r.tag}`];
  }
  return recordImage(parts, { configDigest: cfg.digest, config, manifestDigest: man.digest, manifestMediaType: MT.ociManifest, tags, repoDigests: [] });
}

// Writes an OCI image layout directory (oci-layout, index.json, blobs/sha256/...) from root
// filesystem directories, so real clients can read it: `skopeo copy oci:DIR:TAG docker://...`.
// Layers are made with the system `tar` (sorted, mtime 0, numeric owners: reproducible) and
// `gzip -n`; their diff_ids are the uncompressed tar digests.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { randomFillSync } from 'node:crypto';

export interface OciImage {
  dir: string;
  tag: string;
  manifestDigest: string;
  manifestSize: number;
  configDigest: string;
  layers: { digest: string; size: number; diffId: string }[];
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

function putBlob(dir: string, bytes: Buffer): { digest: string; size: number } {
  const hex = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(join(dir, 'blobs', 'sha256', hex), bytes);
  return { digest: `sha256:${hex}`, size: bytes.length };
}

/** A root filesystem directory holding one file of `bytes` random bytes (written in 1 MiB pieces). */
export function randomRootfs(dir: string, bytes: number, name = 'data.bin'): string {
  mkdirSync(dir, { recursive: true });
  const fd = openSync(join(dir, name), 'w');
  const buf = Buffer.alloc(1 << 20);
  try {
    for (let left = bytes; left > 0; left -= buf.length) {
      randomFillSync(buf);
      writeSync(fd, buf, 0, Math.min(left, buf.length));
    }
  } finally {
    closeSync(fd);
  }
  return dir;
}

/**
 * Writes the image of `rootfsDirs` (one layer each, in order) into the layout at `dir`
 * (created; an existing layout gets this image added under `tag`).
 */
export async function writeOciLayout(dir: string, tag: string, rootfsDirs: string[], opts: { cmd?: string[]; arch?: string } = {}): Promise<OciImage> {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const layers: OciImage['layers'] = [];
  for (const [i, rootfs] of rootfsDirs.entries()) {
    const tar = join(dir, `.layer-${i}.tar`);
    execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', rootfs, '-cf', tar, '.']);
    const diffId = `sha256:${await hashFile(tar)}`;
    execFileSync('gzip', ['-n', '-1', '-f', tar]);
    const gz = `${tar}.gz`;
    const hex = await hashFile(gz);
    const size = statSync(gz).size;
    renameSync(gz, join(blobs, hex));
    rmSync(tar, { force: true });
    layers.push({ digest: `sha256:${hex}`, size, diffId });
  }
  const config = Buffer.from(JSON.stringify({
    architecture: opts.arch ?? 'amd64',
    os: 'linux',
    created: '1970-01-01T00:00:00Z',
    config: { Cmd: opts.cmd ?? ['/bin/sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map(() => ({ created: '1970-01-01T00:00:00Z', created_by: 'berth test oci-layout' })),
  }));
  const cfg = putBlob(dir, config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: cfg.digest, size: cfg.size },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
  }));
  const man = putBlob(dir, manifest);
  const indexPath = join(dir, 'index.json');
  let index: { schemaVersion: number; manifests: { annotations?: Record<string, string> }[] } = { schemaVersion: 2, manifests: [] };
  if (existsSync(indexPath)) index = JSON.parse(readFileSync(indexPath, 'utf8'));
  index.manifests = index.manifests.filter((m) => m.annotations?.['org.opencontainers.image.ref.name'] !== tag);
  index.manifests.push({
    mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: man.digest, size: man.size,
    annotations: { 'org.opencontainers.image.ref.name': tag },
  } as { annotations: Record<string, string> });
  writeFileSync(indexPath, JSON.stringify(index));
  return { dir, tag, manifestDigest: man.digest, manifestSize: man.size, configDigest: cfg.digest, layers };
}

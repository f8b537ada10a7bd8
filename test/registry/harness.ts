// An in-process berth registry on 127.0.0.1 (port 0) with a temporary root, and small HTTP
// helpers for the protocol tests. `close()` stops the server and removes the root.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDefaults, type RegistryConfig } from '../../src/registry/server/config.ts';
import { RegistryServer, type RunningRegistry } from '../../src/registry/server/registry-server.ts';

export interface TestRegistry {
  url: string;
  host: string;
  root: string;
  running: RunningRegistry;
  server: RegistryServer;
  close(): Promise<void>;
}

export async function startRegistry(config: Partial<RegistryConfig> = {}): Promise<TestRegistry> {
  const root = mkdtempSync(join(tmpdir(), 'berth-test-registry-'));
  const server = new RegistryServer({ config: withDefaults({ root, ...config }) });
  const running = await server.listen('127.0.0.1', 0);
  return {
    url: running.url,
    host: `127.0.0.1:${running.port}`,
    root,
    running,
    server,
    async close() {
      await running.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function sha256(b: Buffer | string): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

export async function errorCode(res: Response): Promise<string | undefined> {
  const text = await res.text();
  try {
    return (JSON.parse(text) as { errors: { code: string }[] }).errors[0]?.code;
  } catch {
    return undefined;
  }
}

/** Monolithic push of a blob (POST ?digest=). */
export async function pushBlob(url: string, name: string, data: Buffer, headers: Record<string, string> = {}): Promise<string> {
  const digest = sha256(data);
  const res = await fetch(`${url}/v2/${name}/blobs/uploads/?digest=${digest}`, {
    method: 'POST', body: data, headers: { 'Content-Type': 'application/octet-stream', ...headers },
  });
  if (res.status !== 201) throw new Error(`push blob ${name}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return digest;
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** Pushes a config and one layer, then an OCI manifest for them; returns the manifest bytes and digest. */
export async function pushImage(url: string, name: string, tag: string, opts: { layer?: Buffer; subject?: { digest: string; size: number; mediaType: string }; artifactType?: string; headers?: Record<string, string> } = {}): Promise<{ digest: string; body: Buffer; config: string; layer: string }> {
  const cfg = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, tag }));
  const layer = opts.layer ?? Buffer.from(`layer of ${name}:${tag}`);
  const config = await pushBlob(url, name, cfg, opts.headers);
  const layerDigest = await pushBlob(url, name, layer, opts.headers);
  const manifest: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: cfg.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
  };
  if (opts.artifactType) manifest.artifactType = opts.artifactType;
  if (opts.subject) manifest.subject = opts.subject;
  const body = Buffer.from(JSON.stringify(manifest));
  const res = await fetch(`${url}/v2/${name}/manifests/${tag}`, { method: 'PUT', body, headers: { 'Content-Type': OCI_MANIFEST, ...opts.headers } });
  if (res.status !== 201) throw new Error(`push manifest ${name}:${tag}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return { digest: sha256(body), body, config, layer: layerDigest };
}

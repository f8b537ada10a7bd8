// Insecure registries as Docker treats them: HTTPS first without verifying the certificate, plain
// HTTP when HTTPS cannot connect. Against Debian's docker-registry twice: serving TLS with a
// self-signed certificate made here by openssl, and serving plain HTTP. The registry is named by
// an insecure-registries entry; it listens on loopback, which is insecure by default too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDockerRegistry, type ChildRegistry } from './processes.ts';
import { requires } from '../support/requires.ts';
import { RegistryClient } from '../../src/registry/client/registry-client.ts';
import { pushBlob, pushManifest } from '../../src/registry/client/push.ts';
import { httpFetch } from '../../src/registry/client/http-fetch.ts';
import { OCI_MANIFEST } from '../../src/registry/protocol/media-types.ts';

const skip = requires('docker-registry') || (() => { try { execFileSync('openssl', ['version']); return false; } catch { return 'no openssl'; } })();
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function selfSigned(dir: string): { certificate: string; key: string } {
  const certificate = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=berth-test-registry',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', certificate], { stdio: 'ignore' });
  return { certificate, key };
}

async function roundTrip(reg: ChildRegistry): Promise<{ client: RegistryClient; base: string }> {
  const client = new RegistryClient({ hosts: { insecure: [reg.host] }, attempts: 2, backoffMs: 10 });
  const repo = { domain: reg.host, path: 'insecure/x' };
  const layer = randomBytes(200_000);
  const cfg = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  assert.equal(await pushBlob(client, repo, { digest: sha(layer), size: layer.length }, async function* () { yield layer; }), 'uploaded');
  await pushBlob(client, repo, { digest: sha(cfg), size: cfg.length }, async function* () { yield cfg; }, { chunkSize: 100 });
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(cfg), size: cfg.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }] }));
  await pushManifest(client, repo, 'v1', body, OCI_MANIFEST);
  const m = await client.getManifest(repo, 'v1');
  assert.equal(m.digest, sha(body));
  const parts: Uint8Array[] = [];
  for await (const c of client.blob(repo, sha(layer), { size: layer.length })) parts.push(c);
  assert.ok(Buffer.concat(parts).equals(layer));
  return { client, base: client.base(client.upstream(repo)) };
}

test('insecure registry over TLS with a self-signed certificate: HTTPS, certificate not verified', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-insecure-'));
  const reg = await startDockerRegistry({ tls: selfSigned(dir) });
  try {
    assert.match(reg.url, /^https:/);
    // A verifying client refuses the certificate; plain HTTP gets no registry answer.
    await assert.rejects(httpFetch(`${reg.url}/v2/`), /self[- ]signed|certificate/i);
    const plain = await httpFetch(`http://${reg.host}/v2/`);
    assert.equal(plain.status, 400);
    await plain.body?.cancel();
    const { base } = await roundTrip(reg);
    assert.equal(base, `https://${reg.host}`);
  } finally {
    await reg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('insecure registry over plain HTTP: HTTPS fails, the client falls back to HTTP and stays there', { skip }, async () => {
  const reg = await startDockerRegistry();
  try {
    assert.match(reg.url, /^http:/);
    const { client, base } = await roundTrip(reg);
    assert.equal(base, `http://${reg.host}`);
    // Not insecure (not listed, not loopback): no fallback, the HTTPS failure is the error.
    assert.equal(client.endpoints({ domain: 'registry.example:5000', path: 'x' })[0].fallback, undefined);
  } finally {
    await reg.stop();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest, referencedDigests } from './manifest.ts';
import { RegistryError } from './errors.ts';
import { acceptsManifest, bareMediaType, OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST } from './media-types.ts';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const image = {
  schemaVersion: 2, mediaType: OCI_MANIFEST,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('1'), size: 10 },
  layers: [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('2'), size: 20 },
    { mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', digest: d('3'), size: 30, urls: ['https://x'] },
  ],
};

function code(fn: () => unknown): string {
  try { fn(); } catch (e) { return (e as RegistryError).code; }
  return 'no error';
}

test('image manifest: blobs without foreign layers, artifactType from config', () => {
  const p = parseManifest(JSON.stringify(image), OCI_MANIFEST);
  assert.equal(p.mediaType, OCI_MANIFEST);
  assert.deepEqual(p.blobs, [d('1'), d('2')]);
  assert.deepEqual(referencedDigests(p), [d('1'), d('2')]);
  assert.equal(p.artifactType, 'application/vnd.oci.image.config.v1+json');
  const art = parseManifest(JSON.stringify({ ...image, artifactType: 'x/y', subject: { mediaType: OCI_MANIFEST, digest: d('9'), size: 1 } }), undefined);
  assert.equal(art.artifactType, 'x/y');
  assert.equal(art.subject?.digest, d('9'));
});

test('index: children; media type from body, header or shape', () => {
  const idx = { schemaVersion: 2, manifests: [{ mediaType: OCI_MANIFEST, digest: d('4'), size: 5 }] };
  const p = parseManifest(JSON.stringify(idx), 'application/json');
  assert.equal(p.mediaType, OCI_INDEX);
  assert.deepEqual(p.manifests, [d('4')]);
  assert.equal(parseManifest(JSON.stringify({ ...image, mediaType: undefined }), `${DOCKER_MANIFEST}; charset=utf-8`).mediaType, DOCKER_MANIFEST);
});

test('invalid manifests are MANIFEST_INVALID', () => {
  assert.equal(code(() => parseManifest('{', OCI_MANIFEST)), 'MANIFEST_INVALID');
  assert.equal(code(() => parseManifest('[]', OCI_MANIFEST)), 'MANIFEST_INVALID');
  assert.equal(code(() => parseManifest(JSON.stringify({ ...image, schemaVersion: 1 }), OCI_MANIFEST)), 'MANIFEST_INVALID');
  assert.equal(code(() => parseManifest(JSON.stringify(image), DOCKER_MANIFEST)), 'MANIFEST_INVALID');
  assert.equal(code(() => parseManifest(JSON.stringify({ ...image, layers: undefined }), OCI_MANIFEST)), 'MANIFEST_INVALID');
  assert.equal(code(() => parseManifest(JSON.stringify({ ...image, config: { ...image.config, size: -1 } }), OCI_MANIFEST)), 'MANIFEST_INVALID');
  assert.equal(code(() => parseManifest(JSON.stringify({ ...image, config: { ...image.config, digest: 'sha256:x' } }), OCI_MANIFEST)), 'MANIFEST_INVALID');
  assert.equal(code(() => parseManifest(JSON.stringify({ ...image, annotations: { a: 1 } }), OCI_MANIFEST)), 'MANIFEST_INVALID');
  assert.equal(code(() => parseManifest(JSON.stringify({ ...image, mediaType: 'text/plain' }), undefined)), 'MANIFEST_INVALID');
});

test('Accept negotiation', () => {
  assert.equal(bareMediaType(' Application/JSON ; q=1'), 'application/json');
  assert.equal(acceptsManifest(undefined, OCI_MANIFEST), true);
  assert.equal(acceptsManifest('*/*', OCI_INDEX), true);
  assert.equal(acceptsManifest([`${DOCKER_MANIFEST}`, `${OCI_MANIFEST};q=0.5`], OCI_MANIFEST), true);
  assert.equal(acceptsManifest(DOCKER_MANIFEST, OCI_MANIFEST), false);
});

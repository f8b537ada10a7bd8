import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetadataStore, type ImageRecord } from './metadata-store.ts';

const img = (id: string, created = '2024-01-01T00:00:00Z'): ImageRecord => ({
  id, manifestDigest: `sha256:${'m'.repeat(64)}`, manifestMediaType: 'application/vnd.oci.image.manifest.v1+json', created, size: 10, parent: '', lastTagTime: '',
});

test('images, tags and digests survive a reopen; deleting an image drops its refs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-meta-'));
  try {
    const path = join(dir, 'meta.db');
    let m = new MetadataStore(path);
    m.putImage(img('sha256:a'));
    m.putImage(img('sha256:b', '2025-01-01T00:00:00Z'));
    assert.equal(m.setTag('docker.io/library/x:latest', 'sha256:a'), undefined);
    assert.equal(m.setTag('docker.io/library/x:latest', 'sha256:b'), 'sha256:a');
    m.setTag('docker.io/library/x:1', 'sha256:a');
    m.addDigest('docker.io/library/x@sha256:ddd', 'sha256:a');
    m.close();
    m = new MetadataStore(path);
    assert.deepEqual(m.images().map((i) => i.id), ['sha256:b', 'sha256:a']);
    assert.deepEqual(m.tagsOf('sha256:a'), ['docker.io/library/x:1']);
    assert.ok(m.getImage('sha256:b')!.lastTagTime);
    assert.equal(m.digestTarget('docker.io/library/x@sha256:ddd'), 'sha256:a');
    m.deleteImage('sha256:a');
    assert.deepEqual(m.tagsOf('sha256:a'), []);
    assert.equal(m.digestTarget('docker.io/library/x@sha256:ddd'), undefined);
    assert.equal(m.removeTag('docker.io/library/x:latest'), true);
    assert.equal(m.removeTag('docker.io/library/x:latest'), false);
    m.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('chains and layer blobs; a failed transaction leaves nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-meta-'));
  try {
    const m = new MetadataStore(join(dir, 'meta.db'));
    m.putChain({ chainId: 'sha256:c1', diffId: 'sha256:d1', parent: '', size: 5 });
    m.putChain({ chainId: 'sha256:c2', diffId: 'sha256:d2', parent: 'sha256:c1', size: 7 });
    assert.equal(m.getChain('sha256:c2')!.parent, 'sha256:c1');
    assert.equal(m.chains().length, 2);
    m.addLayerBlob({ diffId: 'sha256:d1', digest: 'sha256:g1', mediaType: 'gz', size: 3, source: 'docker.io/library/x' });
    m.addLayerBlob({ diffId: 'sha256:d1', digest: 'sha256:g1', mediaType: 'gz', size: 3, source: '' });
    assert.equal(m.layerBlobs('sha256:d1')[0].source, 'docker.io/library/x');
    assert.throws(() => m.tx(() => { m.putImage(img('sha256:z')); throw new Error('boom'); }), /boom/);
    assert.equal(m.getImage('sha256:z'), undefined);
    m.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

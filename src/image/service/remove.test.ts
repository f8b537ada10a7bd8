import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetadataStore } from '../metadata/metadata-store.ts';
import { removeImage, type ImageUser } from './remove.ts';

const ID = `sha256:${'a'.repeat(64)}`;
const DIG = `sha256:${'d'.repeat(64)}`;
const CTR = 'c'.repeat(64);

function withStore(fn: (m: MetadataStore) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-rmi-'));
  const m = new MetadataStore(join(dir, 'meta.db'));
  try {
    m.putImage({ id: ID, manifestDigest: DIG, manifestMediaType: 'x', created: '2024-01-01T00:00:00Z', size: 1, parent: '', lastTagTime: '' });
    fn(m);
  } finally {
    m.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rm = (m: MetadataStore, name: string, users: ImageUser[] = [], force = false) => removeImage(m, { name, id: ID, force, users });

test('untag one of two tags; the last tag takes its repository digests and deletes', () => {
  withStore((m) => {
    m.setTag('docker.io/library/busybox:latest', ID);
    m.setTag('docker.io/library/other:1', ID);
    m.addDigest(`docker.io/library/busybox@${DIG}`, ID);
    assert.deepEqual(rm(m, 'other:1'), [{ Untagged: 'other:1' }]);
    assert.deepEqual(rm(m, 'busybox'), [{ Untagged: 'busybox:latest' }, { Untagged: `busybox@${DIG}` }, { Deleted: ID }]);
    assert.equal(m.getImage(ID), undefined);
  });
});

test('conflicts with containers, in Docker words', () => {
  withStore((m) => {
    m.setTag('docker.io/library/busybox:latest', ID);
    const stopped = [{ id: CTR, running: false }];
    assert.throws(() => rm(m, 'busybox', stopped), { code: 'Conflict', message: `conflict: unable to remove repository reference "busybox" (must force) - container ${CTR.slice(0, 12)} is using its referenced image ${'a'.repeat(12)}` });
    assert.throws(() => rm(m, 'aaaa', stopped), { message: `conflict: unable to delete ${'a'.repeat(12)} (must be forced) - image is being used by stopped container ${CTR.slice(0, 12)}` });
    assert.throws(() => rm(m, ID, [{ id: CTR, running: true }], true), { message: /\(cannot be forced\) - image is being used by running container/ });
    // Forced name removal with a running container only untags.
    assert.deepEqual(rm(m, 'busybox', [{ id: CTR, running: true }], true), [{ Untagged: 'busybox:latest' }]);
    assert.ok(m.getImage(ID));
    // By id with a stopped container and --force: deleted.
    assert.deepEqual(rm(m, ID.slice(7, 19), stopped, true), [{ Deleted: ID }]);
  });
});

test('by id: several repositories need --force', () => {
  withStore((m) => {
    m.setTag('docker.io/library/a:1', ID);
    m.setTag('docker.io/library/b:1', ID);
    assert.throws(() => rm(m, ID), { message: `conflict: unable to delete ${'a'.repeat(12)} (must be forced) - image is referenced in multiple repositories` });
    assert.deepEqual(rm(m, ID, [], true), [{ Untagged: 'a:1' }, { Untagged: 'b:1' }, { Deleted: ID }]);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchRoute } from './routes.ts';

const D = `sha256:${'e'.repeat(64)}`;

test('routes are found from the end of the path; names may contain slashes', () => {
  assert.deepEqual(matchRoute('/v2/'), { kind: 'base' });
  assert.deepEqual(matchRoute('/v2'), { kind: 'base' });
  assert.deepEqual(matchRoute('/v2/_catalog'), { kind: 'catalog' });
  assert.deepEqual(matchRoute('/v2/a/b/manifests/latest'), { kind: 'manifest', name: 'a/b', reference: 'latest' });
  assert.deepEqual(matchRoute(`/v2/a/blobs/${D}`), { kind: 'blob', name: 'a', digest: D });
  assert.deepEqual(matchRoute(`/v2/a/blobs/${encodeURIComponent(D)}`), { kind: 'blob', name: 'a', digest: D });
  assert.deepEqual(matchRoute('/v2/a/blobs/uploads/'), { kind: 'uploads', name: 'a' });
  assert.deepEqual(matchRoute('/v2/a/blobs/uploads'), { kind: 'uploads', name: 'a' });
  assert.deepEqual(matchRoute('/v2/a/blobs/uploads/abc'), { kind: 'upload', name: 'a', id: 'abc' });
  assert.deepEqual(matchRoute('/v2/x/y/z/tags/list'), { kind: 'tags', name: 'x/y/z' });
  assert.deepEqual(matchRoute(`/v2/a/referrers/${D}`), { kind: 'referrers', name: 'a', digest: D });
  // a repository called "blobs" or "manifests"
  assert.deepEqual(matchRoute('/v2/manifests/manifests/v1'), { kind: 'manifest', name: 'manifests', reference: 'v1' });
  assert.deepEqual(matchRoute('/v2/blobs/blobs/uploads/'), { kind: 'uploads', name: 'blobs' });
});

test('invalid names never reach storage: traversal, encoded slashes and dots, bad escapes', () => {
  for (const p of ['/v2/../etc/tags/list', '/v2/a/../../b/blobs/uploads/', '/v2/..%2F..%2Fetc/tags/list', '/v2/%2e%2e/tags/list', '/v2/A/tags/list', '/v2/%zz/tags/list', '/v2/a%00/tags/list']) {
    assert.equal(matchRoute(p).kind, 'invalid-name', p);
  }
  for (const p of ['/', '/v1/', '/v2/a', '/v2/a/unknown/x', '/v2/a/manifests/']) assert.equal(matchRoute(p).kind, 'not-found', p);
});

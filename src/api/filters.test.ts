import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFilters, encodeFilters, validateFilterNames } from './filters.ts';
import { endpoint, endpointPath, ENDPOINTS } from './endpoints.ts';

test('filters: map and legacy list forms', () => {
  assert.deepEqual(decodeFilters('{"type":{"container":true},"label":["a=b"]}'), { type: ['container'], label: ['a=b'] });
  assert.deepEqual(decodeFilters(''), {});
  assert.deepEqual(decodeFilters(undefined), {});
  assert.throws(() => decodeFilters('{bad'), /invalid filter/);
  assert.throws(() => decodeFilters('[1]'), /must be a JSON object/);
  assert.deepEqual(decodeFilters(encodeFilters({ status: ['running', 'paused'] })), { status: ['running', 'paused'] });
  assert.throws(() => validateFilterNames({ nope: ['x'] }, ['status']), /invalid filter 'nope'/);
});

test('endpoints: unique names and method+path, paths filled and encoded', () => {
  assert.equal(new Set(ENDPOINTS.map((e) => e.name)).size, ENDPOINTS.length);
  assert.equal(new Set(ENDPOINTS.map((e) => `${e.method} ${e.path}`)).size, ENDPOINTS.length);
  assert.equal(endpointPath(endpoint('ContainerInspect'), { id: 'a b' }), '/containers/a%20b/json');
  assert.equal(endpointPath(endpoint('ImageInspect'), { name: 'library/busybox:latest' }), '/images/library/busybox%3Alatest/json');
  assert.throws(() => endpointPath(endpoint('ContainerStart'), {}), /missing path parameter id/);
});

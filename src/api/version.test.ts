import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkApiVersion, compareVersions, MAX_API_VERSION, MIN_API_VERSION, negotiateVersion } from './version.ts';

test('compareVersions is numeric per part', () => {
  assert.equal(compareVersions('1.9', '1.10'), -1);
  assert.equal(compareVersions('1.41', '1.41'), 0);
  assert.equal(compareVersions('1.41.0', '1.41'), 0);
  assert.equal(compareVersions('2', '1.99'), 1);
});

test('checkApiVersion words errors as Docker', () => {
  assert.equal(checkApiVersion('1.41'), undefined);
  assert.equal(checkApiVersion(MAX_API_VERSION), undefined);
  assert.equal(checkApiVersion('1.99'), `client version 1.99 is too new. Maximum supported API version is ${MAX_API_VERSION}`);
  assert.equal(checkApiVersion('1.40'), 'client version 1.40 is too old. Minimum supported API version is 1.41, please upgrade your client to a newer version');
});

test('negotiation takes the lower version', () => {
  assert.equal(negotiateVersion('1.55', '1.50'), '1.50');
  assert.equal(negotiateVersion('1.45', '1.55'), '1.45');
  assert.equal(negotiateVersion('1.45', undefined), '1.45');
});

test('MAX_API_VERSION is the reference spec version; MIN is 1.41', () => {
  const spec = join(import.meta.dirname, '../../../shared/reference/docker-engine-api.yaml');
  let text = '';
  try { text = readFileSync(spec, 'utf8'); } catch { return; }
  const m = /^info:\n(?:.*\n)*?\s+version: "([\d.]+)"/m.exec(text);
  assert.equal(m?.[1], MAX_API_VERSION);
  assert.equal(MIN_API_VERSION, '1.41');
});

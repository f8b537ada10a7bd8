import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidName, isValidTag, parseDigest, isDigest, looksLikeDigest, referrersTag, MAX_NAME_LENGTH } from './reference.ts';

const HEX = 'a'.repeat(64);

test('repository names: the spec grammar, and nothing that could leave the storage root', () => {
  for (const ok of ['busybox', 'library/busybox', 'a/b/c/d', 'my-app', 'my_app', 'my__app', 'my.app', 'a1/b2', 'x--y', 'gcr.io/x']) {
    assert.equal(isValidName(ok), true, ok);
  }
  for (const bad of ['', 'UPPER', 'a//b', '/a', 'a/', '../etc', 'a/../b', '..', '.', '_a', 'a_', 'a___b', 'a.-b', '-a', 'a b', 'a\u0000b', 'a%2fb', 'ä']) {
    assert.equal(isValidName(bad), false, bad);
  }
  assert.equal(isValidName('a'.repeat(MAX_NAME_LENGTH)), true);
  assert.equal(isValidName('a'.repeat(MAX_NAME_LENGTH + 1)), false);
});

test('tags: up to 128 characters, no leading . or -', () => {
  for (const ok of ['latest', 'v1.2.3', '_x', 'A-b_c.d', 'a'.repeat(128)]) assert.equal(isValidTag(ok), true, ok);
  for (const bad of ['', '.x', '-x', 'a/b', 'a:b', 'a'.repeat(129), 'a b', '..']) assert.equal(isValidTag(bad), false, bad);
});

test('digests: sha256 and sha512 with the right lengths; others refused', () => {
  assert.deepEqual(parseDigest(`sha256:${HEX}`), { algorithm: 'sha256', hex: HEX });
  assert.deepEqual(parseDigest(`sha512:${'b'.repeat(128)}`), { algorithm: 'sha512', hex: 'b'.repeat(128) });
  for (const bad of [`sha256:${HEX.slice(1)}`, `sha256:${'A'.repeat(64)}`, `sha256:${HEX}0`, `md5:${HEX}`, HEX, `sha256:`, `sha256:../${HEX}`, `sha512:${HEX}`]) {
    assert.equal(parseDigest(bad), undefined, bad);
    assert.equal(isDigest(bad), false, bad);
  }
  assert.equal(looksLikeDigest('sha256:zz'), true);
  assert.equal(looksLikeDigest('latest'), false);
});

test('referrers tag schema', () => {
  assert.equal(referrersTag(`sha256:${HEX}`), `sha256-${HEX}`);
  assert.equal(referrersTag(`sha512:${'c'.repeat(128)}`), `sha512-${'c'.repeat(64)}`);
});

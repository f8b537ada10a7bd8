import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha256Hex } from './sha256.ts';

test('sha256Hex agrees with node:crypto on every length across the padding boundaries, and on UTF-8', () => {
  for (let n = 0; n < 200; n++) {
    const s = 'sha256:0123456789abcdef '.repeat(10).slice(0, n);
    assert.equal(sha256Hex(s), createHash('sha256').update(s).digest('hex'), `length ${n}`);
  }
  const u = 'écrit ✓ 😀';
  assert.equal(sha256Hex(u), createHash('sha256').update(u).digest('hex'));
  assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

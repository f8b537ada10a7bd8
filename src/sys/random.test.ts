import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from './random.ts';

test('randomBytes gives n fresh bytes; randomInt stays in [0, max) and covers it', () => {
  assert.equal(randomBytes(0).length, 0);
  const a = randomBytes(32), b = randomBytes(32);
  assert.equal(a.length, 32);
  assert.notDeepEqual(a, b);
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const v = randomInt(7);
    assert.ok(Number.isInteger(v) && v >= 0 && v < 7);
    seen.add(v);
  }
  assert.equal(seen.size, 7);
  assert.throws(() => randomInt(0), RangeError);
});

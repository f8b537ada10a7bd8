import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeUpdate } from './update.ts';

test('update merges only the updatable fields; zero keeps the old value', () => {
  const next = mergeUpdate({ Memory: 64, MemorySwap: 128, PidsLimit: 10, Privileged: false }, { Memory: 0, PidsLimit: 20, Privileged: true } as never);
  assert.deepEqual(next, { Memory: 64, MemorySwap: 128, PidsLimit: 20, Privileged: false });
});

test('memory above the old swap limit raises swap; restart policy vs auto-remove', () => {
  assert.equal(mergeUpdate({ Memory: 64, MemorySwap: 128 }, { Memory: 256 }).MemorySwap, 512);
  assert.deepEqual(mergeUpdate({}, { RestartPolicy: { Name: 'always' } }).RestartPolicy, { Name: 'always' });
  assert.throws(() => mergeUpdate({ AutoRemove: true }, { RestartPolicy: { Name: 'always' } }), /AutoRemove/);
});

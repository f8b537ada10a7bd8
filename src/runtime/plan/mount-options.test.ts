import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMountOptions, rootPropagation } from './mount-options.ts';
import { MS } from './linux-flags.ts';

test('flags, clears, propagation and data are separated', () => {
  const p = parseMountOptions(['nosuid', 'ro', 'rw', 'noexec', 'rslave', 'mode=755', 'size=65536k', 'tmpcopyup']);
  assert.equal(p.flags, MS.NOSUID | MS.NOEXEC);
  assert.deepEqual(p.propagation, [MS.SLAVE | MS.REC]);
  assert.equal(p.data, 'mode=755,size=65536k');
  assert.equal(p.bind, false);
});

test('rbind is a recursive bind', () => {
  const p = parseMountOptions(['rbind', 'ro']);
  assert.equal(p.bind, true);
  assert.equal(p.recursive, true);
  assert.equal(p.flags, MS.RDONLY);
});

test('root propagation defaults to rslave and rejects unknown values', () => {
  assert.equal(rootPropagation(undefined), MS.SLAVE | MS.REC);
  assert.equal(rootPropagation('private'), MS.PRIVATE);
  assert.throws(() => rootPropagation('sideways'), /unknown rootfsPropagation/);
});

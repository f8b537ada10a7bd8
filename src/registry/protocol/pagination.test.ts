import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paginate, linkHeader, parseN } from './pagination.ts';

const ALL = ['b', 'a', 'C', 'd', 'c'];

test('sorted lexically, pages of n after last', () => {
  assert.deepEqual(paginate(ALL, undefined, undefined), { items: ['C', 'a', 'b', 'c', 'd'] });
  assert.deepEqual(paginate(ALL, 2, undefined), { items: ['C', 'a'], next: { n: 2, last: 'a' } });
  assert.deepEqual(paginate(ALL, 2, 'a'), { items: ['b', 'c'], next: { n: 2, last: 'c' } });
  assert.deepEqual(paginate(ALL, 2, 'c'), { items: ['d'] });
  assert.deepEqual(paginate(ALL, 3, 'b'), { items: ['c', 'd'] });
  assert.deepEqual(paginate(ALL, 10, 'zzz'), { items: [] });
  assert.deepEqual(paginate(ALL, undefined, 'bb'), { items: ['c', 'd'] });
  // n=0: an empty page and no Link loop
  assert.deepEqual(paginate(ALL, 0, undefined), { items: [], next: undefined });
  assert.deepEqual(paginate([], 5, undefined), { items: [] });
});

test('Link header and n parsing', () => {
  assert.equal(linkHeader('/v2/a/tags/list', { n: 2, last: 'v1.0' }), '</v2/a/tags/list?n=2&last=v1.0>; rel="next"');
  assert.equal(linkHeader('/v2/_catalog', { n: 1, last: 'a/b' }), '</v2/_catalog?n=1&last=a%2Fb>; rel="next"');
  assert.equal(parseN(null), undefined);
  assert.equal(parseN(''), undefined);
  assert.equal(parseN('10'), 10);
  assert.equal(parseN('0'), 0);
  assert.equal(parseN('-1'), 'invalid');
  assert.equal(parseN('1e3'), 'invalid');
});

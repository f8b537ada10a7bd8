import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router, splitVersion } from './router.ts';
import { Query } from './query.ts';

test('splitVersion', () => {
  assert.deepEqual(splitVersion('/v1.41/containers/json'), { version: '1.41', path: '/containers/json' });
  assert.deepEqual(splitVersion('/containers/json'), { path: '/containers/json' });
  assert.deepEqual(splitVersion('/v1.99/_ping'), { version: '1.99', path: '/_ping' });
  assert.deepEqual(splitVersion('/version'), { path: '/version' });
  assert.deepEqual(splitVersion('/vabc/x'), { path: '/vabc/x' });
});

test('params, greedy params, literal routes first, methods separate', () => {
  const r = new Router();
  const h = (n: string) => () => n;
  r.add('GET', '/images/{name*}/json', h('inspect'));
  r.add('GET', '/images/json', h('list'));
  r.add('DELETE', '/images/{name*}', h('delete'));
  r.add('GET', '/containers/{id}/json', h('cinspect'));
  const m = r.match('GET', '/images/docker.io/library/busybox%3Alatest/json')!;
  assert.equal((m.handler as () => string)(), 'inspect');
  assert.deepEqual(m.params, { name: 'docker.io/library/busybox:latest' });
  assert.equal((r.match('GET', '/images/json')!.handler as () => string)(), 'list');
  assert.deepEqual(r.match('DELETE', '/images/a/b')!.params, { name: 'a/b' });
  assert.deepEqual(r.match('GET', '/containers/abc/json')!.params, { id: 'abc' });
  assert.equal(r.match('GET', '/containers/a/b/json'), undefined);
  assert.equal(r.match('POST', '/containers/abc/json'), undefined);
  assert.equal(r.match('GET', '/containers/%zz/json'), undefined);
  assert.throws(() => r.add('GET', '/images/json', h('again')), /registered twice/);
});

test('addEndpoint uses the shared descriptor', () => {
  const r = new Router().addEndpoint('ContainerStart', () => 1);
  assert.deepEqual(r.list(), [{ method: 'POST', pattern: '/containers/{id}/start' }]);
});

test('query booleans and ints as Docker reads them', () => {
  const q = new Query('all=1&a=true&b=0&c=false&d=no&e=none&f=&g=yes&n=12&bad=1x&filters=%7B%22status%22%3A%5B%22running%22%5D%7D');
  assert.equal(q.bool('all'), true);
  assert.equal(q.bool('a'), true);
  for (const k of ['b', 'c', 'd', 'e', 'f']) assert.equal(q.bool(k), false, k);
  assert.equal(q.bool('g'), true);
  assert.equal(q.bool('missing'), false);
  assert.equal(q.bool('missing', true), true);
  assert.equal(q.bool('b', true), false);
  assert.equal(q.int('n', 0), 12);
  assert.equal(q.int('missing', 5), 5);
  assert.equal(q.int('missing'), undefined);
  assert.throws(() => q.int('bad', 0), /invalid syntax/);
  assert.deepEqual(q.filters(), { status: ['running'] });
});

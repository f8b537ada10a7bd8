import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterImages, parseTimestamp, pathMatch } from './images-filter.ts';

const img = (Id: string, RepoTags: string[], Created: number, Labels: Record<string, string> = {}) => ({ Id, RepoTags, RepoDigests: RepoTags.map((t) => `${t.split(':')[0]}@sha256:${'d'.repeat(64)}`), Created, Labels });
const all = [
  img('a', ['busybox:latest', 'busybox:1', 'example.com/team/x:v1'], 300, { env: 'prod' }),
  img('b', ['alpine:3'], 200, { env: 'dev', keep: '' }),
  { Id: 'c', RepoTags: [], RepoDigests: [], Created: 100, Labels: {} },
];
const byRef = (r: string) => all.find((i) => i.Id === r || i.RepoTags.includes(r));

test('path.Match semantics', () => {
  assert.ok(pathMatch('busy*', 'busybox'));
  assert.ok(!pathMatch('*', 'example.com/team/x'));
  assert.ok(pathMatch('*/*/x', 'example.com/team/x'));
  assert.ok(pathMatch('b?sybox:[0-9]', 'busybox:1'));
  assert.ok(pathMatch('[!a]*', 'busybox'));
  assert.ok(!pathMatch('[!b]*', 'busybox'));
});

test('reference narrows the tags shown; dangling, label, before/since', () => {
  const r = filterImages(all, { reference: ['busybox'] }, byRef);
  assert.deepEqual(r.map((i) => [i.Id, i.RepoTags]), [['a', ['busybox:latest', 'busybox:1']]]);
  assert.deepEqual(filterImages(all, { reference: ['*:1'] }, byRef)[0].RepoTags, ['busybox:1']);
  assert.deepEqual(filterImages(all, { dangling: ['true'] }, byRef).map((i) => i.Id), ['c']);
  assert.deepEqual(filterImages(all, { dangling: ['false'] }, byRef).map((i) => i.Id), ['a', 'b']);
  assert.deepEqual(filterImages(all, { label: ['env=dev'] }, byRef).map((i) => i.Id), ['b']);
  assert.deepEqual(filterImages(all, { label: ['keep'] }, byRef).map((i) => i.Id), ['b']);
  assert.deepEqual(filterImages(all, { before: ['alpine:3'] }, byRef).map((i) => i.Id), ['c']);
  assert.deepEqual(filterImages(all, { since: ['alpine:3'] }, byRef).map((i) => i.Id), ['a']);
  assert.deepEqual(filterImages(all, { until: ['250'] }, byRef).map((i) => i.Id), ['b', 'c']);
  assert.throws(() => filterImages(all, { bogus: ['1'] }, byRef), { code: 'InvalidArgument', message: "invalid filter 'bogus'" });
  assert.throws(() => filterImages(all, { dangling: ['maybe'] }, byRef), { code: 'InvalidArgument' });
  assert.throws(() => filterImages(all, { before: ['nope:1'] }, byRef), { message: 'No such image: nope:1' });
});

test('timestamps: unix seconds, RFC 3339, durations', () => {
  assert.equal(parseTimestamp('1700000000', 0), 1700000000);
  assert.equal(parseTimestamp('2024-01-01T00:00:00Z', 0), 1704067200);
  assert.equal(parseTimestamp('10m', 1_000_000), 1000 - 600);
});

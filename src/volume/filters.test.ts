import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterVolumes, labelMatches, pruneCandidates } from './filters.ts';
import type { VolumeRecord } from './types.ts';

const vol = (Name: string, Labels: Record<string, string> | null = null): VolumeRecord => ({ Name, Driver: 'local', CreatedAt: '', Labels, Options: null });
const all = [vol('data', { app: 'web', tier: 'db' }), vol('cache', { app: 'web' }), vol('f'.repeat(64), { 'com.docker.volume.anonymous': '' }), vol('logs')];
const used = new Set(['data']);
const inUse = (n: string) => used.has(n);
const names = (l: VolumeRecord[]) => l.map((v) => v.Name);

test('list filters: dangling, name (regexp), label, driver; unknown keys refused', () => {
  assert.equal(filterVolumes(all, {}, inUse).length, 4);
  assert.deepEqual(names(filterVolumes(all, { dangling: ['true'] }, inUse)), ['cache', 'f'.repeat(64), 'logs']);
  assert.deepEqual(names(filterVolumes(all, { dangling: ['0'] }, inUse)), ['data']);
  assert.deepEqual(names(filterVolumes(all, { name: ['^ca'] }, inUse)), ['cache']);
  assert.deepEqual(names(filterVolumes(all, { name: ['a'] }, inUse)), ['data', 'cache']);
  assert.deepEqual(names(filterVolumes(all, { label: ['app=web', 'tier'] }, inUse)), ['data']);
  assert.deepEqual(names(filterVolumes(all, { driver: ['local'] }, inUse)).length, 4);
  assert.deepEqual(filterVolumes(all, { driver: ['nfs'] }, inUse), []);
  assert.throws(() => filterVolumes(all, { dangling: ['maybe'] }, inUse), { message: "invalid filter 'dangling=maybe'" });
  assert.throws(() => filterVolumes(all, { foo: ['x'] }, inUse), { message: "invalid filter 'foo'" });
});

test('labels: key presence and key=value', () => {
  assert.ok(labelMatches({ a: '' }, 'a'));
  assert.ok(labelMatches({ a: '' }, 'a='));
  assert.ok(!labelMatches({ a: 'x' }, 'a=y'));
  assert.ok(!labelMatches(null, 'a'));
});

test('prune: anonymous and unused only since 1.42, all=true for named, label and label!', () => {
  assert.deepEqual(names(pruneCandidates(all, {}, inUse, '1.47')), ['f'.repeat(64)]);
  assert.deepEqual(names(pruneCandidates(all, { all: ['true'] }, inUse, '1.47')), ['cache', 'f'.repeat(64), 'logs']);
  assert.deepEqual(names(pruneCandidates(all, {}, inUse, '1.41')), ['cache', 'f'.repeat(64), 'logs']);
  assert.throws(() => pruneCandidates(all, { all: ['1'] }, inUse, '1.41'), /invalid filter 'all'/);
  assert.deepEqual(names(pruneCandidates(all, { all: ['1'], label: ['app'] }, inUse, '1.47')), ['cache']);
  assert.deepEqual(names(pruneCandidates(all, { all: ['1'], 'label!': ['app'] }, inUse, '1.47')), ['f'.repeat(64), 'logs']);
  assert.throws(() => pruneCandidates(all, { dangling: ['true'] }, inUse, '1.47'), /invalid filter 'dangling'/);
});

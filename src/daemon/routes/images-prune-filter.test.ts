import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pruneSelection } from './images-prune-filter.ts';

const img = (Created: number, Labels: Record<string, string> = {}) => ({ Created, Labels });
const NOW = 1_700_000_000_000;

test('image prune: dangling decides all; bad values and unknown keys are refused', () => {
  assert.equal(pruneSelection({}).all, false);
  assert.equal(pruneSelection({ dangling: ['true'] }).all, false);
  assert.equal(pruneSelection({ dangling: ['false'] }).all, true);
  assert.equal(pruneSelection({ dangling: ['0'] }).all, true);
  assert.throws(() => pruneSelection({ dangling: ['maybe'] }), /Invalid filter 'dangling=maybe'/);
  assert.throws(() => pruneSelection({ reference: ['x'] }), /invalid filter 'reference'/);
  assert.throws(() => pruneSelection({ until: ['1h', '2h'] }), /more than one until/);
  assert.throws(() => pruneSelection({ until: ['yesterday'] }), /invalid value for filter 'until'/);
});

test('image prune: until keeps images created after it (durations, unix seconds, RFC 3339)', () => {
  const now = NOW / 1000;
  const m = pruneSelection({ until: ['1h'] }, NOW).matches;
  assert.equal(m(img(now - 7200)), true);
  assert.equal(m(img(now - 60)), false);
  assert.equal(pruneSelection({ until: [String(now - 100)] }, NOW).matches(img(now - 101)), true);
  assert.equal(pruneSelection({ until: [String(now - 100)] }, NOW).matches(img(now - 99)), false);
  assert.equal(pruneSelection({ until: ['2023-01-01T00:00:00Z'] }, NOW).matches(img(Date.parse('2022-12-31T00:00:00Z') / 1000)), true);
});

test('image prune: label needs every one to match; label! keeps what matches every one of them', () => {
  const a = img(0, { env: 'prod', keep: '' });
  const b = img(0, { env: 'dev' });
  const c = img(0);
  const sel = (f: Record<string, string[]>) => [a, b, c].map((i) => pruneSelection(f).matches(i));
  assert.deepEqual(sel({ label: ['env'] }), [true, true, false]);
  assert.deepEqual(sel({ label: ['env=dev'] }), [false, true, false]);
  assert.deepEqual(sel({ label: ['env', 'keep'] }), [true, false, false]);
  assert.deepEqual(sel({ 'label!': ['keep'] }), [false, true, true]);
  assert.deepEqual(sel({ 'label!': ['env=prod'] }), [false, true, true]);
  assert.deepEqual(sel({ 'label!': ['env=prod', 'keep'] }), [false, true, true]);
  assert.deepEqual(sel({ 'label!': ['env=dev', 'keep'] }), [true, true, true]);
  assert.deepEqual(sel({ label: ['env'], 'label!': ['env=dev'] }), [true, false, false]);
});

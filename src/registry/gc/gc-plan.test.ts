import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planGc } from './gc-plan.ts';

const d = (c: string) => `sha256:${c.repeat(64)}`;

test('marks manifests, their blobs, children and subjects; sweeps the rest past the grace period', () => {
  const manifests = [
    { digest: d('1'), refs: [d('a'), d('b')] },
    { digest: d('2'), refs: [d('1')] }, // index
    { digest: d('3'), refs: [d('c')], subject: d('1') },
    { digest: d('4') }, // unreadable: itself kept
  ];
  const blob = (c: string, age: number) => ({ digest: d(c), size: 10, mtimeMs: 1_000_000 - age });
  const blobs = [blob('1', 1e5), blob('2', 1e5), blob('3', 1e5), blob('4', 1e5), blob('a', 1e5), blob('b', 1e5), blob('c', 1e5), blob('x', 1e5), blob('y', 10)];
  const plan = planGc(manifests, blobs, 1_000_000, 1000);
  assert.deepEqual(plan.sweep.map((b) => b.digest), [d('x')]);
  assert.equal(plan.bytes, 10);
  assert.ok(plan.keep.has(d('c')));
});

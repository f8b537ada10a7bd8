import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthPlan, applyProbe, initialHealth } from './health.ts';

const e = (code: number) => ({ Start: 's', End: 'e', ExitCode: code, Output: 'x' });

test('probe commands and defaults as Docker', () => {
  assert.equal(healthPlan(undefined), null);
  assert.equal(healthPlan({ Test: ['NONE'] }), null);
  assert.deepEqual(healthPlan({ Test: ['CMD-SHELL', 'test -f /x'] })!.cmd, ['/bin/sh', '-c', 'test -f /x']);
  const p = healthPlan({ Test: ['CMD', 'true'], Interval: 2e9 })!;
  assert.deepEqual([p.cmd, p.intervalMs, p.timeoutMs, p.retries], [['true'], 2000, 30000, 3]);
});

test('healthy on success; unhealthy after `retries` failures; start period forgives', () => {
  let h = initialHealth();
  h = applyProbe(h, e(1), 2, true);
  assert.deepEqual([h.Status, h.FailingStreak], ['starting', 0]);
  h = applyProbe(h, e(1), 2, false);
  assert.deepEqual([h.Status, h.FailingStreak], ['starting', 1]);
  h = applyProbe(h, e(1), 2, false);
  assert.deepEqual([h.Status, h.FailingStreak], ['unhealthy', 2]);
  h = applyProbe(h, e(0), 2, false);
  assert.deepEqual([h.Status, h.FailingStreak], ['healthy', 0]);
  for (let i = 0; i < 9; i++) h = applyProbe(h, e(0), 2, false);
  assert.equal(h.Log.length, 5);
});

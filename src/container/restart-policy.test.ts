import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restartDecision } from './restart-policy.ts';

test('restart policies as Docker applies them', () => {
  assert.equal(restartDecision(undefined, 1, 0, false).restart, false);
  assert.equal(restartDecision({ Name: 'always' }, 0, 5, false).restart, true);
  assert.equal(restartDecision({ Name: 'always' }, 0, 5, true).restart, false);
  assert.equal(restartDecision({ Name: 'on-failure' }, 0, 0, false).restart, false);
  assert.equal(restartDecision({ Name: 'on-failure', MaximumRetryCount: 2 }, 1, 1, false).restart, true);
  assert.equal(restartDecision({ Name: 'on-failure', MaximumRetryCount: 2 }, 1, 2, false).restart, false);
  assert.deepEqual([0, 1, 20].map((n) => restartDecision({ Name: 'always' }, 0, n, false).delayMs), [200, 400, 60_000]);
});

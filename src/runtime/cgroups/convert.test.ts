import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blkioToIoWeight, cpuMax, limitValue, sharesToWeight, swapToV2 } from './convert.ts';
import { isCode } from '../../errors/errors.ts';

test('cpu shares → cpu.weight (runc)', () => {
  assert.equal(sharesToWeight(2), 1);
  assert.equal(sharesToWeight(1024), 39);
  assert.equal(sharesToWeight(512), 20);
  assert.equal(sharesToWeight(262144), 10000);
  assert.equal(sharesToWeight(0), 0);
});

test('blkio weight → io.weight (runc/crun)', () => {
  assert.equal(blkioToIoWeight(10), 1);
  assert.equal(blkioToIoWeight(500), 4950);
  assert.equal(blkioToIoWeight(1000), 10000);
  assert.equal(blkioToIoWeight(0), 0);
});

test('memory+swap → memory.swap.max', () => {
  assert.equal(swapToV2(undefined, 100), undefined);
  assert.equal(swapToV2(0, 100), undefined);
  assert.equal(swapToV2(-1, 100), 'max');
  assert.equal(swapToV2(300, 100), '200');
  assert.equal(swapToV2(100, 100), '0');
  assert.throws(() => swapToV2(50, 100), (e) => isCode(e, 'InvalidArgument'));
  assert.throws(() => swapToV2(50, -1), (e) => isCode(e, 'InvalidArgument'));
});

test('cpu.max and limits', () => {
  assert.equal(cpuMax(undefined, undefined), undefined);
  assert.equal(cpuMax(0, 0), undefined);
  assert.equal(cpuMax(50000, 100000), '50000 100000');
  assert.equal(cpuMax(-1, 100000), 'max 100000');
  assert.equal(cpuMax(20000, undefined), '20000');
  assert.equal(cpuMax(-1, undefined), 'max');
  assert.equal(limitValue(-1), 'max');
  assert.equal(limitValue(-1, '-1'), '-1');
  assert.equal(limitValue(0), undefined);
  assert.equal(limitValue(7), '7');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRange, parseContentRange, uploadRangeHeader } from './ranges.ts';

test('Range: single byte ranges against a blob size', () => {
  assert.equal(parseRange(undefined, 100), undefined);
  assert.deepEqual(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
  assert.deepEqual(parseRange('bytes=90-', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=90-500', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=-10', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRange('bytes=-500', 100), { start: 0, end: 99 });
  assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
  assert.equal(parseRange('bytes=50-40', 100), 'unsatisfiable');
  assert.equal(parseRange('bytes=-0', 100), 'unsatisfiable');
  // forms we do not handle: the whole blob is served
  assert.equal(parseRange('bytes=0-1,5-6', 100), undefined);
  assert.equal(parseRange('items=0-1', 100), undefined);
  assert.equal(parseRange('bytes=-', 100), undefined);
});

test('Content-Range of upload chunks', () => {
  assert.equal(parseContentRange(undefined), undefined);
  assert.equal(parseContentRange(''), undefined);
  assert.deepEqual(parseContentRange('0-99'), { start: 0, end: 99 });
  assert.deepEqual(parseContentRange('bytes 100-199/*'), { start: 100, end: 199 });
  assert.deepEqual(parseContentRange('bytes=100-199/1000'), { start: 100, end: 199 });
  assert.equal(parseContentRange('10-5'), 'invalid');
  assert.equal(parseContentRange('abc'), 'invalid');
  assert.equal(parseContentRange('-5'), 'invalid');
});

test('upload Range header', () => {
  assert.equal(uploadRangeHeader(0), '0-0');
  assert.equal(uploadRangeHeader(1), '0-0');
  assert.equal(uploadRangeHeader(1000), '0-999');
});

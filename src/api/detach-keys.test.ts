import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DetachScanner, parseDetachKeys } from './detach-keys.ts';

const b = (...x: number[]) => Uint8Array.from(x);

test('parseDetachKeys: ctrl names, single characters, Docker error text', () => {
  assert.deepEqual(parseDetachKeys('ctrl-p,ctrl-q'), b(16, 17));
  assert.deepEqual(parseDetachKeys('ctrl-@,ctrl-A,ctrl-[,ctrl-\\,ctrl-_'), b(0, 1, 27, 28, 31));
  assert.deepEqual(parseDetachKeys('a,ctrl-b'), b(97, 2));
  assert.throws(() => parseDetachKeys('ctrl-p,foo'), /^Error: Unknown character: 'foo'$/);
  assert.throws(() => parseDetachKeys(''), /Unknown character: ''/);
});

test('DetachScanner: passes input, holds a partial sequence, detaches on the whole one', () => {
  const s = new DetachScanner(b(16, 17));
  assert.deepEqual(s.push(b(104, 105)), { data: b(104, 105), detach: false });
  assert.deepEqual(s.push(b(120, 16)), { data: b(120), detach: false }); // ctrl-p held back
  assert.deepEqual(s.push(b(17, 99)), { data: b(), detach: true });
  assert.equal(s.detached, true);
  assert.deepEqual(s.push(b(1)), { data: b(), detach: true });
});

test('DetachScanner: a broken sequence is passed on, and the breaking byte may start a new one', () => {
  const s = new DetachScanner(b(16, 17));
  assert.deepEqual(s.push(b(16)), { data: b(), detach: false });
  assert.deepEqual(s.push(b(97)), { data: b(16, 97), detach: false });
  assert.deepEqual(s.push(b(16, 16)), { data: b(16), detach: false });
  assert.deepEqual(s.push(b(17)), { data: b(), detach: true });
});

test('DetachScanner: bytes before the sequence in the same chunk go through; empty keys mean the default', () => {
  const s = new DetachScanner(b());
  assert.deepEqual(s.push(b(108, 115, 16, 17, 120)), { data: b(108, 115), detach: true });
  const one = new DetachScanner(b(1));
  assert.deepEqual(one.push(b(50, 1)), { data: b(50), detach: true });
});

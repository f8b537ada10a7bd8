import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, encodeHeader, StdcopyDecoder } from './stdcopy.ts';

test('frame layout is Docker\'s 8-byte header', () => {
  const f = encodeFrame('stderr', Buffer.from('hi'));
  assert.deepEqual([...f], [2, 0, 0, 0, 0, 0, 0, 2, 0x68, 0x69]);
  assert.deepEqual([...encodeHeader('stdout', 258)], [1, 0, 0, 0, 0, 0, 1, 2]);
});

test('decoder reassembles frames split at every byte', () => {
  const wire = Buffer.concat([encodeFrame('stdout', Buffer.from('hello ')), encodeFrame('stderr', Buffer.from('oops')), encodeFrame('stdout', Buffer.alloc(0)), encodeFrame('stdout', Buffer.from('world'))]);
  for (let step = 1; step <= wire.length; step++) {
    const dec = new StdcopyDecoder();
    const got: string[] = [];
    for (let i = 0; i < wire.length; i += step) for (const f of dec.push(wire.subarray(i, i + step))) got.push(`${f.stream}:${f.data}`);
    assert.deepEqual(got, ['stdout:hello ', 'stderr:oops', 'stdout:', 'stdout:world'], `step ${step}`);
    assert.equal(dec.pending, 0);
  }
});

test('decoder rejects an unknown stream id and reports truncation', () => {
  assert.throws(() => new StdcopyDecoder().push(Buffer.from([9, 0, 0, 0, 0, 0, 0, 1, 0])), /unrecognized stream id 9/);
  const dec = new StdcopyDecoder();
  assert.deepEqual(dec.push(encodeFrame('stdout', Buffer.from('abc')).subarray(0, 9)), []);
  assert.equal(dec.pending, 9);
});

test('large frames', () => {
  const big = Buffer.alloc(1 << 20, 7);
  const dec = new StdcopyDecoder();
  const wire = encodeFrame('stdout', big);
  const frames = [...dec.push(wire.subarray(0, 1000)), ...dec.push(wire.subarray(1000))];
  assert.equal(frames.length, 1);
  assert.equal(frames[0].data.length, big.length);
});

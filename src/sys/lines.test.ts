import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { onLines } from './lines.ts';

test('onLines: lines split across chunks, CRLF, multibyte characters cut between chunks, a last line without newline', async () => {
  const s = new PassThrough();
  const got: string[] = [];
  onLines(s, (l) => got.push(l));
  const euro = Buffer.from('€');
  s.write('{"a":1}\n{"b"');
  s.write(':2}\r\n\n');
  s.write(Buffer.concat([Buffer.from('x'), euro.subarray(0, 1)]));
  s.write(Buffer.concat([euro.subarray(1), Buffer.from('y\nlast')]));
  s.end();
  await new Promise((r) => s.on('end', r));
  assert.deepEqual(got, ['{"a":1}', '{"b":2}', '', 'x€y', 'last']);
});

test('onLines: a stream its previous reader paused flows again', async () => {
  const s = new PassThrough();
  s.on('data', () => {});
  s.pause();
  s.write('a\nb\n');
  const got: string[] = [];
  onLines(s, (l) => got.push(l));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(got, ['a', 'b']);
});

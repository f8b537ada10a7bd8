import { test } from 'node:test';
import assert from 'node:assert/strict';
import { framesFromJsonLog } from './fast-frames.ts';
import { encodeEntry, decodeLine, type LogEntry } from './json-line.ts';
import { encodeFrame } from '../../api/stdcopy.ts';

const T = '2026-11-23T13:47:01.123456789Z';
const entries: LogEntry[] = [
  { log: '1\n', stream: 'stdout', time: T },
  { log: 'err line\n', stream: 'stderr', time: T },
  { log: 'a partial piece without newline', stream: 'stdout', time: T },
  { log: 'tab\there "quoted" \\ back\n', stream: 'stdout', time: T },
  { log: '<html> & unicode é ✓ \u2028\n', stream: 'stderr', time: T },
  { log: '\n', stream: 'stdout', time: T },
  { log: '', stream: 'stdout', time: T },
  { log: 'with attrs\n', stream: 'stdout', time: T, attrs: { a: 'b' } },
  { log: 'x\ny\n', stream: 'stdout', time: T },
];
const file = Buffer.from(entries.map(encodeEntry).join(''));

function generic(buf: Buffer, o: { stdout: boolean; stderr: boolean; tty: boolean }): Buffer {
  const parts: Buffer[] = [];
  for (const line of buf.toString('utf8').split('\n')) {
    if (!line) continue;
    const e = decodeLine(line);
    if (e.stream === 'stdout' ? !o.stdout : !o.stderr) continue;
    parts.push(o.tty ? Buffer.from(e.log) : encodeFrame(e.stream, Buffer.from(e.log)));
  }
  return Buffer.concat(parts);
}

for (const o of [{ stdout: true, stderr: true, tty: false }, { stdout: true, stderr: false, tty: false }, { stdout: false, stderr: true, tty: false }, { stdout: true, stderr: true, tty: true }]) {
  test(`fast frames equal the generic decoder's, ${JSON.stringify(o)}`, () => {
    const { out, entries: n } = framesFromJsonLog(file, o);
    assert.deepEqual(Buffer.from(out), generic(file, o));
    assert.equal(n, entries.filter((e) => (e.stream === 'stdout' ? o.stdout : o.stderr)).length);
  });
}

test('an incomplete last line is not an entry yet', () => {
  const cut = file.subarray(0, file.length - 10);
  const { out } = framesFromJsonLog(cut, { stdout: true, stderr: true, tty: true });
  assert.equal(Buffer.from(out).toString(), entries.slice(0, -1).map((e) => e.log).join(''));
});

test('a corrupt line is an error, as in the generic reader', () => {
  assert.throws(() => framesFromJsonLog(Buffer.from('{"log":"x\\n","stream":"stdout"\nnot json\n'), { stdout: true, stderr: true, tty: false }), /corrupt log line/);
});

test('coalesced: the same bytes per stream, fewer frames, none over 64 KiB', () => {
  const many = Buffer.from(Array.from({ length: 20000 }, (_, i) => encodeEntry({ log: `line ${i}\n`, stream: i % 1000 === 999 ? 'stderr' : 'stdout', time: T })).join(''));
  const split = (b: Uint8Array) => {
    const frames: { stream: number; len: number }[] = [];
    const per: Record<number, Buffer[]> = { 1: [], 2: [] };
    const buf = Buffer.from(b);
    for (let at = 0; at < buf.length;) {
      const len = buf.readUInt32BE(at + 4);
      frames.push({ stream: buf[at], len });
      per[buf[at]].push(buf.subarray(at + 8, at + 8 + len));
      at += 8 + len;
    }
    return { frames, out: Buffer.concat(per[1]).toString(), err: Buffer.concat(per[2]).toString() };
  };
  const plain = split(framesFromJsonLog(many, { stdout: true, stderr: true, tty: false }).out);
  const joined = split(framesFromJsonLog(many, { stdout: true, stderr: true, tty: false, coalesce: true }).out);
  assert.equal(joined.out, plain.out);
  assert.equal(joined.err, plain.err);
  assert.equal(plain.frames.length, 20000);
  assert.ok(joined.frames.length < 100, `${joined.frames.length} frames`);
  assert.ok(joined.frames.every((f) => f.len <= 64 * 1024));
  // Order across streams is kept: a stderr entry closes the stdout frame before it.
  assert.equal(joined.frames.filter((f) => f.stream === 2).length, 20);
});

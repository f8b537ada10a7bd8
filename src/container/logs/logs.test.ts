import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeEntry, decodeLine, goJsonString, LineSplitter, MAX_LINE, nsToTime, nsToFixedTime, timeToNs } from './json-line.ts';
import { JsonFileWriter } from './writer.ts';
import { readLogs, formatEntry, type TimedEntry } from './reader.ts';
import { parseJsonFileOptions, parseSize } from './log-opts.ts';

const enc = new TextEncoder();
const T = 1_700_000_000_123_456_789n;

function tmp(t: { after: (fn: () => void) => void }): string {
  const d = mkdtempSync(join(tmpdir(), 'berth-logs-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

async function all(it: AsyncIterable<TimedEntry>): Promise<TimedEntry[]> {
  const out: TimedEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

test('line format as Docker writes it', () => {
  assert.equal(encodeEntry({ log: 'hi <b>&\n', stream: 'stdout', time: nsToTime(T) }), '{"log":"hi \\u003cb\\u003e\\u0026\\n","stream":"stdout","time":"2023-11-14T22:13:20.123456789Z"}\n');
  assert.equal(goJsonString('\u0001\t\b\r\n"\\\u2029é'), '"\\u0001\\u0009\\u0008\\r\\n\\"\\\\\\u2029é"');
  assert.deepEqual(decodeLine('{"log":"x\\n","stream":"stderr","time":"2023-11-14T22:13:20.1Z"}'), { log: 'x\n', stream: 'stderr', time: '2023-11-14T22:13:20.1Z' });
  assert.equal(nsToTime(1_700_000_000_000_000_000n), '2023-11-14T22:13:20Z');
  assert.equal(nsToFixedTime(1_700_000_000_100_000_000n), '2023-11-14T22:13:20.100000000Z');
  assert.equal(timeToNs('2023-11-14T22:13:20.123456789Z'), T);
  assert.equal(timeToNs('2023-11-14T23:13:20.1+01:00'), 1_700_000_000_100_000_000n);
});

test('16 KiB partial lines', () => {
  const s = new LineSplitter();
  const long = 'a'.repeat(MAX_LINE * 2 + 10) + '\n';
  const parts = s.push(enc.encode('x\ny'));
  assert.deepEqual(parts.map((p) => Buffer.from(p).toString()), ['x\n']);
  const more = s.push(enc.encode(long));
  assert.deepEqual(more.map((p) => p.length), [MAX_LINE, MAX_LINE, 12]);
  assert.equal(Buffer.from(more[0]).toString(), 'y' + 'a'.repeat(MAX_LINE - 1));
  assert.equal(s.flush(), undefined);
  s.push(enc.encode('tail'));
  assert.equal(Buffer.from(s.flush()!).toString(), 'tail');
});

test('options', () => {
  assert.deepEqual(parseJsonFileOptions({}), { maxSize: 20 * 1024 * 1024, maxFile: 5, compress: false });
  assert.deepEqual(parseJsonFileOptions({ 'max-size': '10m', 'max-file': '3' }), { maxSize: 10 * 1024 * 1024, maxFile: 3, compress: false });
  assert.equal(parseSize('1.5k'), 1536);
  assert.throws(() => parseJsonFileOptions({ bogus: '1' }), { message: "unknown log opt 'bogus' for json-file log driver" });
  assert.throws(() => parseJsonFileOptions({ 'max-file': '0' }), { message: 'max-file cannot be less than 1' });
});

test('write, rotate, read with tail/since/until', async (t) => {
  const dir = tmp(t);
  const path = join(dir, 'c-json.log');
  let now = T;
  const w = new JsonFileWriter(path, { maxSize: 400, maxFile: 3 }, () => (now += 1_000_000_000n));
  for (let i = 0; i < 20; i++) w.write(i % 2 ? 'stderr' : 'stdout', enc.encode(`line ${i}\n`));
  w.write('stdout', enc.encode('no newline'));
  w.close();
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['c-json.log', 'c-json.log.1', 'c-json.log.2']);
  for (const f of files) assert.ok(readFileSync(join(dir, f)).length <= 400);
  const got = await all(readLogs(path));
  const last = got.at(-1)!;
  assert.equal(last.log, 'no newline');
  const nums = got.slice(0, -1).map((e) => Number(e.log.split(' ')[1]));
  assert.deepEqual(nums, Array.from({ length: nums.length }, (_, i) => 20 - nums.length + i), 'oldest files dropped, order kept');
  assert.equal(got[1].stream, got[0].stream === 'stdout' ? 'stderr' : 'stdout');
  const tail = await all(readLogs(path, { tail: 3 }));
  assert.deepEqual(tail.map((e) => e.log), ['line 18\n', 'line 19\n', 'no newline']);
  assert.deepEqual(await all(readLogs(path, { tail: 0 })), []);
  const since = await all(readLogs(path, { sinceNs: T + 20_000_000_000n }));
  assert.deepEqual(since.map((e) => e.log), ['line 19\n', 'no newline']);
  const until = await all(readLogs(path, { untilNs: got[1].timeNs }));
  assert.equal(until.length, 2);
  assert.equal(formatEntry(tail[0], true), `${nsToFixedTime(tail[0].timeNs)} line 18\n`);
  assert.deepEqual(await all(readLogs(join(dir, 'missing.log'))), []);
});

test('max-file 1 truncates in place', async (t) => {
  const path = join(tmp(t), 'x.log');
  const w = new JsonFileWriter(path, { maxSize: 200, maxFile: 1 });
  for (let i = 0; i < 10; i++) w.write('stdout', enc.encode(`${i}\n`));
  w.close();
  assert.ok(!existsSync(`${path}.1`));
  const got = await all(readLogs(path));
  assert.ok(got.length > 0 && got.length < 10);
  assert.equal(got.at(-1)!.log, '9\n');
});

test('follow across rotations until the container stops', async (t) => {
  const path = join(tmp(t), 'f.log');
  const w = new JsonFileWriter(path, { maxSize: 300, maxFile: 2 });
  w.write('stdout', enc.encode('first\n'));
  let stop!: () => void;
  const stopped = new Promise<void>((r) => { stop = r; });
  const seen: string[] = [];
  const reading = (async () => { for await (const e of readLogs(path, { follow: true, stopped, pollMs: 20 })) seen.push(e.log); })();
  for (let i = 0; i < 30; i++) {
    w.write('stdout', enc.encode(`n${i}\n`));
    if (i % 5 === 0) await new Promise((r) => setTimeout(r, 15));
  }
  await new Promise((r) => setTimeout(r, 100));
  w.write('stdout', enc.encode('last\n'));
  w.close();
  stop();
  await reading;
  assert.deepEqual(seen, ['first\n', ...Array.from({ length: 30 }, (_, i) => `n${i}\n`), 'last\n']);
});

test('follow ends on abort', async (t) => {
  const path = join(tmp(t), 'a.log');
  const w = new JsonFileWriter(path);
  w.write('stderr', enc.encode('x\n'));
  const ac = new AbortController();
  const seen: string[] = [];
  const reading = (async () => { for await (const e of readLogs(path, { follow: true, signal: ac.signal, pollMs: 1000 })) seen.push(e.log); })();
  await new Promise((r) => setTimeout(r, 50));
  w.write('stderr', enc.encode('y\n'));
  await new Promise((r) => setTimeout(r, 100));
  ac.abort();
  await reading;
  w.close();
  assert.deepEqual(seen, ['x\n', 'y\n']);
});

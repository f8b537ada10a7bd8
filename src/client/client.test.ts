import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { encodeFrame } from '../api/stdcopy.ts';
import { parseDaemonHost } from './host.ts';
import { readJsonLines, readProgress } from './json-lines.ts';
import { demuxFrames } from './stdcopy-demux.ts';
import { buildQuery } from './transport.ts';

test('DOCKER_HOST forms', () => {
  assert.deepEqual(parseDaemonHost(undefined), { kind: 'unix', path: '/run/berth/berth.sock', url: 'unix:///run/berth/berth.sock' });
  assert.deepEqual(parseDaemonHost('unix:///tmp/x.sock'), { kind: 'unix', path: '/tmp/x.sock', url: 'unix:///tmp/x.sock' });
  assert.deepEqual(parseDaemonHost('tcp://10.0.0.1:2376'), { kind: 'tcp', host: '10.0.0.1', port: 2376, url: 'tcp://10.0.0.1:2376' });
  assert.equal((parseDaemonHost('tcp://h', true) as { port: number }).port, 2376);
  assert.equal((parseDaemonHost('tcp://h') as { port: number }).port, 2375);
  assert.throws(() => parseDaemonHost('ssh://me@h'), /unsupported protocol/);
  assert.throws(() => parseDaemonHost('unix://rel'), /absolute/);
});

test('queries: booleans as 1/0, undefined left out', () => {
  assert.equal(buildQuery({ all: true, size: false, limit: 3, x: undefined }), '?all=1&size=0&limit=3');
  assert.equal(buildQuery({}), '');
});

test('JSON lines split anywhere; in-band progress errors throw', async () => {
  const text = '{"status":"a"}\n{"status":"b"}\n\n{"status":"c"}';
  const chunks = [...text].map((c) => Buffer.from(c));
  const got = [];
  for await (const m of readJsonLines<{ status: string }>(Readable.from(chunks))) got.push(m.status);
  assert.deepEqual(got, ['a', 'b', 'c']);
  const bad = Readable.from([Buffer.from('{"status":"Pulling"}\n{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}\n')]);
  const seen: string[] = [];
  await assert.rejects(async () => { for await (const m of readProgress(bad)) seen.push(m.status!); }, /manifest unknown/);
  assert.deepEqual(seen, ['Pulling']);
  await assert.rejects(async () => { for await (const _ of readJsonLines(Readable.from([Buffer.from('{nope\n')]))) { /* */ } }, /malformed JSON/);
});

test('demuxFrames: streams and a systemerr frame', async () => {
  const wire = Buffer.concat([encodeFrame('stdout', Buffer.from('o')), encodeFrame('stderr', Buffer.from('e'))]);
  const got = [];
  for await (const f of demuxFrames(Readable.from([wire]))) got.push(`${f.stream}:${f.data}`);
  assert.deepEqual(got, ['stdout:o', 'stderr:e']);
  await assert.rejects(async () => { for await (const _ of demuxFrames(Readable.from([encodeFrame('systemerr', Buffer.from('exec failed'))]))) { /* */ } }, /exec failed/);
});

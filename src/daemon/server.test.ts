// The server and the client together, in-process on a temporary unix socket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, PassThrough } from 'node:stream';
import type { Server } from 'node:http';
import { conflict, failedPrecondition, notFound } from '../errors/errors.ts';
import { EngineClient } from '../client/engine-client.ts';
import { demuxStream } from '../client/stdcopy-demux.ts';
import { EventBus } from './events.ts';
import { hijackContentType, stdcopyWriter } from './hijack.ts';
import { silentLogger } from './logger.ts';
import { Reply } from './reply.ts';
import { Router } from './router.ts';
import { createApiServer } from './server.ts';
import { gatherHostFacts } from './host-facts.ts';
import { registerSystemRoutes } from './routes/system.ts';
import { emptySystemBackend } from './system-backend.ts';

let dir: string; let sock: string; let server: Server; let client: EngineClient; const bus = new EventBus();

function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(sock, () => s.end(request));
    let out = '';
    s.setEncoding('utf8').on('data', (c) => (out += c)).on('end', () => resolve(out)).on('error', reject);
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'berth-test-server-'));
  sock = join(dir, 'api.sock');
  const router = new Router();
  registerSystemRoutes(router, {
    events: bus, backend: emptySystemBackend, host: gatherHostFacts(), version: '9.9.9', gitCommit: 'abc', buildTime: '', engineId: 'id',
    dataRoot: dir, debug: false, labels: [], runtimes: {}, defaultRuntime: 'berth',
  });
  router.add('GET', '/containers/{id}/json', (ctx) => { throw notFound(`No such container: ${ctx.params.id}`); });
  router.add('POST', '/containers/{id}/stop', () => { throw failedPrecondition('container is not running'); });
  router.add('POST', '/containers/create', async (ctx) => {
    const body = await ctx.json<{ Image?: string }>();
    if (body?.Image === 'dup') throw conflict('Conflict. The container name "/x" is already in use');
    return Reply.json({ Id: 'new', Warnings: [], apiVersion: ctx.apiVersion }, 201);
  });
  router.add('GET', '/boom', () => { throw new Error('kaput'); });
  router.add('GET', '/containers/{id}/logs', () => Reply.stream(Readable.from([Buffer.from('line1\n'), Buffer.from('line2\n')]), 'text/plain'));
  router.add('POST', '/exec/{id}/start', async (ctx) => {
    const opts = await ctx.json<{ Tty?: boolean }>();
    return Reply.hijack(hijackContentType(ctx.apiVersion, opts?.Tty ?? false), async (conn) => {
      const out = stdcopyWriter(conn.output, 'stdout');
      const err = stdcopyWriter(conn.output, 'stderr');
      err.write(`id=${ctx.params.id} upgrade=${ctx.upgrade}\n`);
      for await (const c of conn.input) out.write(Buffer.from(String(c).toUpperCase()));
    });
  });
  server = createApiServer({ router, logger: silentLogger, serverVersion: '9.9.9' });
  await new Promise<void>((r) => server.listen(sock, r));
  client = new EngineClient({ host: `unix://${sock}` });
});

after(async () => {
  client.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

test('ping, negotiation and Docker headers', async () => {
  const p = await client.ping();
  assert.equal(p.apiVersion, '1.55');
  assert.equal(p.osType, 'linux');
  assert.equal(p.builderVersion, '1');
  assert.equal(await client.apiVersion(), '1.55');
  const head = await raw('HEAD /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(head, /^HTTP\/1.1 200 OK/);
  assert.match(head, /Cache-Control: no-cache, no-store, must-revalidate/);
  assert.match(head, /Pragma: no-cache/);
  assert.match(head, /Content-Length: 0/);
  assert.equal((await client.serverVersion()).Version, '9.9.9');
});

test('errors: status map and Docker\'s messages', async () => {
  await assert.rejects(client.call('ContainerInspect', { params: { id: 'nope' } }), { code: 'NotFound', message: 'No such container: nope' });
  await assert.rejects(client.call('ContainerStop', { params: { id: 'x' } }), { code: 'Conflict', status: 409 });
  await assert.rejects(client.call('ContainerCreate', { body: { Image: 'dup' } }), { code: 'Conflict' });
  await assert.rejects(client.json('GET', '/boom'), { code: 'Internal', message: 'kaput' });
  await assert.rejects(client.json('GET', '/no/such/route'), { code: 'NotFound', message: 'page not found' });
  await assert.rejects(client.json('DELETE', '/_ping'), { message: 'page not found' });
  assert.match(await raw('GET /v1.99/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1.1 400[^]*client version 1.99 is too new. Maximum supported API version is 1.55/);
  assert.match(await raw('GET /v1.12/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1.1 400[^]*too old. Minimum supported API version is 1.41/);
  assert.match(await raw('GET /v1.99/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1.1 404[^]*page not found/);
});

test('JSON bodies: versioned paths, bad JSON, wrong Content-Type, huge bodies', async () => {
  const c141 = new EngineClient({ host: `unix://${sock}`, version: '1.41' });
  assert.deepEqual(await c141.call('ContainerCreate', { body: { Image: 'x' } }), { Id: 'new', Warnings: [], apiVersion: '1.41' });
  c141.close();
  await assert.rejects(client.call('ContainerCreate', { body: Buffer.from('{"Image":'), headers: { 'Content-Type': 'application/json' } }), /invalid JSON/);
  await assert.rejects(client.call('ContainerCreate', { body: Buffer.from('{}'), headers: { 'Content-Type': 'text/plain' } }), /unsupported Content-Type header \(text\/plain\): must be 'application\/json'/);
  const huge = Buffer.alloc(40 * 1024 * 1024, 0x20);
  await assert.rejects(client.call('ContainerCreate', { body: huge, headers: { 'Content-Type': 'application/json' } }), /too large|EPIPE|ECONNRESET/);
  assert.equal((await client.ping()).apiVersion, '1.55');
});

test('byte streams', async () => {
  const res = await client.stream('ContainerLogs', { params: { id: 'x' } });
  let text = '';
  for await (const c of res) text += c;
  assert.equal(text, 'line1\nline2\n');
});

test('hijack: 101 UPGRADED, body before stdin in one packet, multiplexed output', async () => {
  const conn = await client.hijack('ExecStart', { params: { id: 'e1' }, body: { Detach: false, Tty: false } });
  assert.equal(conn.multiplexed, true);
  const out = new PassThrough(); const err = new PassThrough();
  let o = ''; let e = '';
  out.setEncoding('utf8').on('data', (c) => (o += c));
  err.setEncoding('utf8').on('data', (c) => (e += c));
  conn.socket.end('hello stdin');
  await demuxStream(conn.socket, out, err);
  assert.equal(o, 'HELLO STDIN');
  assert.equal(e, 'id=e1 upgrade=true\n');
  // Raw: headers, body and stdin bytes in one write.
  const body = '{"Tty":true}';
  const reply = await raw(`POST /v1.41/exec/e2/start HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}abc`);
  assert.match(reply, /^HTTP\/1.1 101 UPGRADED\r\n/);
  assert.match(reply, /Content-Type: application\/vnd.docker.raw-stream/);
  assert.ok(reply.endsWith('ABC'), JSON.stringify(reply));
});

test('hijack errors before the upgrade are plain HTTP errors', async () => {
  await assert.rejects(client.hijack('ContainerAttach', { params: { id: 'x' } }), { message: 'page not found' });
});

test('hijack without Upgrade answers 200 with a raw stream', async () => {
  const reply = await raw('POST /exec/e3/start HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
  assert.match(reply, /^HTTP\/1.1 200 OK\r\n/);
  assert.match(reply, /Content-Type: application\/vnd.docker.multiplexed-stream/);
  assert.doesNotMatch(reply, /Transfer-Encoding/);
});

test('events stream through the client, with filters', async () => {
  bus.publish({ Type: 'container', Action: 'create', Actor: { ID: 'c1', Attributes: { name: 'a' } } });
  bus.publish({ Type: 'image', Action: 'pull', Actor: { ID: 'busybox' } });
  const until = String((Date.now() + 300) / 1000);
  const got: string[] = [];
  const done = (async () => { for await (const ev of client.events({ since: '0', until, filters: { type: ['container'] } })) got.push(`${ev.Type}:${ev.Action}`); })();
  await new Promise((r) => setTimeout(r, 50));
  bus.publish({ Type: 'container', Action: 'start', Actor: { ID: 'c1' } });
  await done;
  assert.deepEqual(got, ['container:create', 'container:start']);
  await assert.rejects(client.json('GET', '/events?since=10&until=5'), /`since` time \(10\) cannot be after `until` time \(5\)/);
});

test('events: a client going away releases its subscription', async () => {
  const ac = new AbortController();
  const it = client.events({ signal: ac.signal });
  const p = it.next().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(bus.listenerCount, 1);
  ac.abort();
  await p;
  for (let i = 0; i < 50 && bus.listenerCount; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(bus.listenerCount, 0);
});

test('connection errors name the address', async () => {
  const c = new EngineClient({ host: `unix://${dir}/none.sock` });
  await assert.rejects(c.ping(), { code: 'Unavailable', message: `Cannot connect to the berth daemon at unix://${dir}/none.sock. Is the berth daemon running?` });
  c.close();
});

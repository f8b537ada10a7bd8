import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpFetch } from './http-fetch.ts';

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const srv = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    handler(req, res, Buffer.concat(parts));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((r) => { srv.closeAllConnections(); srv.close(() => r()); }) };
}

test('httpFetch: status, headers, text/json/arrayBuffer, body as chunks, HEAD', async () => {
  const s = await serve((req, res) => {
    res.setHeader('x-a', 'b');
    res.setHeader('content-type', 'application/json');
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ path: req.url, method: req.method }));
  });
  try {
    const r = await httpFetch(`${s.url}/v2/x`);
    assert.equal(r.status, 200);
    assert.equal(r.ok, true);
    assert.equal(r.headers.get('X-A'), 'b');
    assert.equal(r.headers.get('missing'), null);
    assert.deepEqual(await r.json(), { path: '/v2/x', method: 'GET' });
    await assert.rejects(r.text());
    const chunks: Uint8Array[] = [];
    for await (const c of (await httpFetch(s.url)).body!) chunks.push(c);
    assert.equal(Buffer.concat(chunks).toString(), '{"path":"/","method":"GET"}');
    const h = await httpFetch(s.url, { method: 'HEAD' });
    assert.equal(h.status, 200);
    await h.body?.cancel();
    assert.equal(new TextDecoder().decode(await (await httpFetch(s.url)).arrayBuffer()), '{"path":"/","method":"GET"}');
  } finally {
    await s.close();
  }
});

test('httpFetch: bytes and streamed bodies are sent; redirects followed, Authorization dropped across origins', async () => {
  const other = await serve((req, res) => res.end(`other auth=${req.headers.authorization ?? ''}`));
  const s = await serve((req, res, body) => {
    if (req.url === '/away') { res.writeHead(307, { location: `${other.url}/x` }).end(); return; }
    if (req.url === '/here') { res.writeHead(302, { location: '/echo' }).end(); return; }
    res.end(`${req.method} ${body.length} len=${req.headers['content-length'] ?? '-'} auth=${req.headers.authorization ?? ''}`);
  });
  try {
    assert.equal(await (await httpFetch(`${s.url}/echo`, { method: 'PUT', body: new Uint8Array(10) })).text(), 'PUT 10 len=10 auth=');
    async function* gen(): AsyncGenerator<Uint8Array> { for (let i = 0; i < 64; i++) yield new Uint8Array(64 * 1024); }
    assert.equal(await (await httpFetch(`${s.url}/echo`, { method: 'PATCH', body: gen() })).text(), `PATCH ${64 * 65536} len=- auth=`);
    assert.equal(await (await httpFetch(`${s.url}/here`, { headers: { Authorization: 'Bearer t' } })).text(), 'GET 0 len=- auth=Bearer t');
    const away = await httpFetch(`${s.url}/away`, { headers: { Authorization: 'Bearer t' } });
    assert.equal(await away.text(), 'other auth=');
    assert.equal(away.url, `${other.url}/x`);
    const manual = await httpFetch(`${s.url}/away`, { redirect: 'manual' });
    assert.equal(manual.status, 307);
    await manual.body?.cancel();
  } finally {
    await s.close();
    await other.close();
  }
});

test('httpFetch: connection errors reject; an aborted request rejects', async () => {
  const s = await serve(() => { /* never answers */ });
  try {
    const ac = new AbortController();
    const p = httpFetch(s.url, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(p);
  } finally {
    await s.close();
  }
  await assert.rejects(httpFetch(s.url));
});

test('httpFetch: a kept-alive connection the server drops as it is reused is retried on a fresh one', async () => {
  const seen = new WeakMap<object, number>();
  const s = await serve((req, res) => {
    const n = (seen.get(req.socket) ?? 0) + 1;
    seen.set(req.socket, n);
    if (n > 1) { req.socket.destroy(); return; }
    res.end('fresh');
  });
  try {
    for (let i = 0; i < 3; i++) assert.equal(await (await httpFetch(`${s.url}/${i}`)).text(), 'fresh');
  } finally {
    await s.close();
  }
});

// Bad input over raw HTTP: each gets Docker's status and a clear message, nothing is half-made,
// and berthd stays up. Also: 100 parallel creates of one name — exactly one wins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { requires } from '../support/requires.ts';
import { startBerthd, pingSocket, type Berthd } from './support/daemon.ts';

const skip = requires('root', 'busybox', 'overlay', 'cgroup-v1');
let d: Berthd;
before(async () => { if (!skip) d = await startBerthd({ busybox: true }); });
after(async () => { await d?.stop(); });

interface Res { status: number; body: string; json?: { message?: string; Id?: string } }

function call(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: d.socket, method, path, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode!, body: text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('malformed and mistyped create bodies are 400 with a message; nothing is created', { skip }, async () => {
  const bad = await call('POST', '/v1.45/containers/create', '{"Image": "busybox", ');
  assert.equal(bad.status, 400);
  assert.ok(bad.json?.message, bad.body);
  const typed = await call('POST', '/v1.45/containers/create', JSON.stringify({ Image: 'busybox', Cmd: 'not-an-array', HostConfig: { Memory: 'lots' } }));
  assert.ok(typed.status >= 400 && typed.status < 500, `status ${typed.status}: ${typed.body}`);
  assert.ok(typed.json?.message);
  const list = await call('GET', '/v1.45/containers/json?all=1');
  assert.equal(list.body.trim(), '[]');
});

test('unknown containers, images and routes', { skip }, async () => {
  const r = await call('POST', '/v1.45/containers/nope/start');
  assert.deepEqual([r.status, r.json?.message], [404, 'No such container: nope']);
  const i = await call('POST', '/v1.45/containers/create', JSON.stringify({ Image: 'no-such-image:1' }));
  assert.equal(i.status, 404);
  assert.match(i.json!.message!, /No such image: no-such-image:1/);
  const p = await call('GET', '/v1.45/no/such/route');
  assert.deepEqual([p.status, p.json?.message], [404, 'page not found']);
});

test('invalid names are refused; 100 parallel creates of one name: exactly one wins', { skip }, async () => {
  const inv = await call('POST', '/v1.45/containers/create?name=bad%20name!', JSON.stringify({ Image: 'busybox', Cmd: ['true'] }));
  assert.equal(inv.status, 400);
  assert.match(inv.json!.message!, /Invalid container name/);
  const results = await Promise.all(Array.from({ length: 100 }, () => call('POST', '/v1.45/containers/create?name=racer', JSON.stringify({ Image: 'busybox', Cmd: ['true'] }))));
  const won = results.filter((r) => r.status === 201);
  const lost = results.filter((r) => r.status === 409);
  assert.equal(won.length, 1, results.map((r) => r.status).join(','));
  assert.equal(lost.length, 99);
  assert.match(lost[0].json!.message!, /Conflict\. The container name "\/racer" is already in use by container/);
  const list = JSON.parse((await call('GET', '/v1.45/containers/json?all=1')).body) as unknown[];
  assert.equal(list.length, 1);
  assert.equal((await call('DELETE', `/v1.45/containers/${won[0].json!.Id}`)).status, 204);
});

test('a huge body is refused without taking the daemon down', { skip }, async () => {
  const huge = Buffer.alloc(64 << 20, 0x61);
  const r = await call('POST', '/v1.45/containers/create', Buffer.concat([Buffer.from('{"Image":"'), huge, Buffer.from('"}')])).catch((e: Error) => ({ status: 0, body: e.message }) as Res);
  assert.ok(r.status === 0 || (r.status >= 400 && r.status < 500), `status ${r.status}`);
  assert.equal(await pingSocket(d.socket), true);
});

test('archive API: path traversal stays inside the container', { skip }, async () => {
  const c = await call('POST', '/v1.45/containers/create?name=arch', JSON.stringify({ Image: 'busybox', Cmd: ['true'] }));
  assert.equal(c.status, 201);
  for (const path of ['/../../../../etc/shadow', '../../../../../etc/shadow']) {
    const r = await call('HEAD', `/v1.45/containers/arch/archive?path=${encodeURIComponent(path)}`);
    // Resolved inside the rootfs: busybox has no /etc/shadow, so 404 — never the host's file.
    assert.ok(r.status === 404 || r.status === 400, `${path}: ${r.status}`);
  }
  const ok = await call('HEAD', `/v1.45/containers/arch/archive?path=${encodeURIComponent('/../../etc/passwd')}`);
  assert.equal(ok.status, 200, 'a path climbing above / ends at the container root');
  assert.equal((await call('DELETE', '/v1.45/containers/arch')).status, 204);
  assert.equal(await pingSocket(d.socket), true);
});

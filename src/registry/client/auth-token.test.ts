import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authorizer } from './auth.ts';
import { httpFetch } from './http-fetch.ts';

interface Seen { method: string; url: string; auth?: string; body: string }

async function tokenServer(oauth: boolean): Promise<{ realm: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const srv = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const c of req) body += c;
    seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
    if (req.method === 'POST' && !oauth) { res.writeHead(405).end(); return; }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ access_token: `t-${req.method}` }));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const realm = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/token`;
  return { realm, seen, close: () => new Promise((r) => { srv.closeAllConnections(); srv.close(() => r()); }) };
}

const creds = (c: { username?: string; password?: string; identityToken?: string }) => ({ get: async () => c });

test('token auth: an identity token is exchanged by the OAuth2 refresh_token POST', async () => {
  const s = await tokenServer(true);
  try {
    const a = new Authorizer(creds({ identityToken: 'refresh-1' }), httpFetch);
    const v = await a.answer('reg', `Bearer realm="${s.realm}",service="svc"`, ['repository:x:pull', 'repository:y:pull']);
    assert.equal(v, 'Bearer t-POST');
    assert.equal(s.seen.length, 1);
    const form = new URLSearchParams(s.seen[0].body);
    assert.equal(form.get('grant_type'), 'refresh_token');
    assert.equal(form.get('refresh_token'), 'refresh-1');
    assert.equal(form.get('client_id'), 'docker');
    assert.equal(form.get('service'), 'svc');
    assert.equal(form.get('scope'), 'repository:x:pull repository:y:pull');
    assert.equal(s.seen[0].auth, undefined);
    assert.equal(a.cached('reg', ['repository:x:pull', 'repository:y:pull']), 'Bearer t-POST');
  } finally {
    await s.close();
  }
});

test('token auth: a token server without OAuth2 gets the identity token as <token> Basic on GET; passwords use GET', async () => {
  const s = await tokenServer(false);
  try {
    const v = await new Authorizer(creds({ identityToken: 'refresh-1' }), httpFetch).answer('reg', `Bearer realm="${s.realm}",service="svc"`, ['repository:x:pull']);
    assert.equal(v, 'Bearer t-GET');
    assert.deepEqual(s.seen.map((x) => x.method), ['POST', 'GET']);
    assert.equal(s.seen[1].auth, `Basic ${Buffer.from('<token>:refresh-1').toString('base64')}`);
    assert.equal(s.seen[1].url, '/token?service=svc&scope=repository%3Ax%3Apull');
    s.seen.length = 0;
    await new Authorizer(creds({ username: 'u', password: 'p' }), httpFetch).answer('reg', `Bearer realm="${s.realm}"`, ['repository:x:pull']);
    assert.deepEqual(s.seen.map((x) => [x.method, x.auth]), [['GET', `Basic ${Buffer.from('u:p').toString('base64')}`]]);
  } finally {
    await s.close();
  }
});

// Authentication: htpasswd basic auth and the bearer token flow with per-repository scopes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HTPASSWD, ACCESS } from './auth-fixtures.ts';
import { startRegistry, errorCode, pushBlob, pushImage, type TestRegistry } from './harness.ts';

const basic = (user: string, pw: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}` });

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'berth-test-regauth-'));
  writeFileSync(join(dir, 'htpasswd'), HTPASSWD);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('htpasswd: 401 with WWW-Authenticate Basic; good credentials pass; read-only user is DENIED push', async () => {
  const reg: TestRegistry = await startRegistry({ auth: { htpasswd: { path: join(dir, 'htpasswd'), realm: 'test-realm' }, access: ACCESS } });
  try {
    const anon = await fetch(`${reg.url}/v2/`);
    assert.equal(anon.status, 401);
    assert.equal(anon.headers.get('www-authenticate'), 'Basic realm="test-realm"');
    assert.equal(await errorCode(anon), 'UNAUTHORIZED');
    const wrong = await fetch(`${reg.url}/v2/`, { headers: basic('alice', 'nope') });
    assert.equal(wrong.status, 401);
    await wrong.arrayBuffer();
    const ok = await fetch(`${reg.url}/v2/`, { headers: basic('alice', 's3cret') });
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();

    const img = await pushImage(reg.url, 'team/app', 'v1', { headers: basic('alice', 's3cret') });
    const anonPull = await fetch(`${reg.url}/v2/team/app/manifests/v1`);
    assert.equal(anonPull.status, 401);
    await anonPull.arrayBuffer();
    const bobPull = await fetch(`${reg.url}/v2/team/app/manifests/v1`, { headers: basic('bob', 'readpw') });
    assert.equal(bobPull.status, 200);
    assert.equal(bobPull.headers.get('docker-content-digest'), img.digest);
    await bobPull.arrayBuffer();
    const bobPush = await fetch(`${reg.url}/v2/team/app/blobs/uploads/`, { method: 'POST', headers: basic('bob', 'readpw') });
    assert.equal(bobPush.status, 403);
    assert.equal(await errorCode(bobPush), 'DENIED');
    await assert.rejects(pushBlob(reg.url, 'team/app', Buffer.from('x'), basic('bob', 'readpw')), /403/);
  } finally {
    await reg.close();
  }
});

interface Challenge { realm: string; service: string; scope?: string; error?: string }
function parseChallenge(h: string | null): Challenge {
  assert.ok(h, 'WWW-Authenticate missing');
  assert.match(h, /^Bearer /);
  const out: Record<string, string> = {};
  for (const m of h.slice(7).matchAll(/(\w+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out as unknown as Challenge;
}

async function getToken(c: Challenge, scope: string | undefined, creds?: Record<string, string>): Promise<string> {
  const u = new URL(c.realm);
  u.searchParams.set('service', c.service);
  if (scope) u.searchParams.set('scope', scope);
  const res = await fetch(u, { headers: creds });
  assert.equal(res.status, 200, `token: ${res.status}`);
  const body = await res.json() as { token: string; access_token: string; expires_in: number };
  assert.equal(body.token, body.access_token);
  assert.ok(body.expires_in > 0);
  return body.token;
}

test('token flow: Bearer challenge with realm/service/scope, token with scope, then access', async () => {
  const reg = await startRegistry({ auth: { htpasswd: { path: join(dir, 'htpasswd') }, token: { service: 'test-svc' }, access: ACCESS } });
  try {
    const base = await fetch(`${reg.url}/v2/`);
    assert.equal(base.status, 401);
    const c0 = parseChallenge(base.headers.get('www-authenticate'));
    assert.equal(c0.realm, `${reg.url}/token`);
    assert.equal(c0.service, 'test-svc');
    await base.arrayBuffer();

    // push as alice
    const post = await fetch(`${reg.url}/v2/tok/app/blobs/uploads/`, { method: 'POST' });
    assert.equal(post.status, 401);
    const c1 = parseChallenge(post.headers.get('www-authenticate'));
    assert.equal(c1.scope, 'repository:tok/app:pull,push');
    await post.arrayBuffer();
    const badCreds = await fetch(`${c1.realm}?service=${c1.service}&scope=${c1.scope}`, { headers: basic('alice', 'wrong') });
    assert.equal(badCreds.status, 401);
    await badCreds.arrayBuffer();
    const alice = await getToken(c1, c1.scope, basic('alice', 's3cret'));
    const bearer = { Authorization: `Bearer ${alice}` };
    const img = await pushImage(reg.url, 'tok/app', 'v1', { headers: bearer });
    // the token is scoped to tok/app only
    const elsewhere = await fetch(`${reg.url}/v2/other/manifests/v1`, { headers: bearer });
    assert.equal(elsewhere.status, 401);
    assert.equal(parseChallenge(elsewhere.headers.get('www-authenticate')).error, 'insufficient_scope');
    await elsewhere.arrayBuffer();

    // bob: pull granted, push dropped from the token
    const bobToken = await getToken(c1, 'repository:tok/app:pull,push', basic('bob', 'readpw'));
    const claims = JSON.parse(Buffer.from(bobToken.split('.')[1], 'base64url').toString()) as { sub: string; access: { name: string; actions: string[] }[] };
    assert.equal(claims.sub, 'bob');
    assert.deepEqual(claims.access, [{ type: 'repository', name: 'tok/app', actions: ['pull'] }]);
    const pull = await fetch(`${reg.url}/v2/tok/app/manifests/v1`, { headers: { Authorization: `Bearer ${bobToken}` } });
    assert.equal(pull.status, 200);
    assert.equal(pull.headers.get('docker-content-digest'), img.digest);
    await pull.arrayBuffer();
    const push = await fetch(`${reg.url}/v2/tok/app/blobs/uploads/`, { method: 'POST', headers: { Authorization: `Bearer ${bobToken}` } });
    assert.equal(push.status, 401);
    assert.equal(parseChallenge(push.headers.get('www-authenticate')).error, 'insufficient_scope');
    assert.equal(await errorCode(push), 'UNAUTHORIZED');

    // anonymous token: authenticates /v2/ but grants nothing
    const anonToken = await getToken(c0, 'repository:tok/app:pull');
    const anonBase = await fetch(`${reg.url}/v2/`, { headers: { Authorization: `Bearer ${anonToken}` } });
    assert.equal(anonBase.status, 200);
    await anonBase.arrayBuffer();
    const anonPull = await fetch(`${reg.url}/v2/tok/app/manifests/v1`, { headers: { Authorization: `Bearer ${anonToken}` } });
    assert.equal(anonPull.status, 401);
    await anonPull.arrayBuffer();

    // a tampered token is refused
    const parts = alice.split('.');
    const forged = [parts[0], Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(parts[1], 'base64url').toString()), sub: 'mallory' })).toString('base64url'), parts[2]].join('.');
    const res = await fetch(`${reg.url}/v2/tok/app/manifests/v1`, { headers: { Authorization: `Bearer ${forged}` } });
    assert.equal(res.status, 401);
    assert.equal(parseChallenge(res.headers.get('www-authenticate')).error, 'invalid_token');
    await res.arrayBuffer();

    // OAuth2 password grant (POST), as containerd and newer docker clients use
    const form = new URLSearchParams({ grant_type: 'password', username: 'alice', password: 's3cret', service: 'test-svc', scope: 'registry:catalog:*', client_id: 'test' });
    const posted = await fetch(`${reg.url}/token`, { method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(posted.status, 200);
    const { access_token } = await posted.json() as { access_token: string };
    const cat = await fetch(`${reg.url}/v2/_catalog`, { headers: { Authorization: `Bearer ${access_token}` } });
    assert.deepEqual(await cat.json(), { repositories: ['tok/app'] });
  } finally {
    await reg.close();
  }
});

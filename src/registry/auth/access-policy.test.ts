import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grant } from './access-policy.ts';
import { signToken, verifyToken } from './token.ts';

const repo = (name: string, ...actions: string[]) => ({ type: 'repository', name, actions });

test('without rules: accounts get everything, anonymous nothing', () => {
  assert.deepEqual(grant('alice', [repo('a', 'pull', 'push')], undefined), [repo('a', 'pull', 'push')]);
  assert.deepEqual(grant(undefined, [repo('a', 'pull')], undefined), []);
});

test('rules by account, repository prefix and action', () => {
  const rules = [
    { account: 'anonymous', repository: 'public/*', actions: ['pull'] },
    { account: '*', repository: '*', actions: ['pull'] },
    { account: 'ci', repository: 'team/*', actions: ['push'] },
    { account: 'admin', repository: '*', actions: ['*'] },
  ];
  assert.deepEqual(grant(undefined, [repo('public/x', 'pull', 'push')], rules), [repo('public/x', 'pull')]);
  assert.deepEqual(grant(undefined, [repo('private/x', 'pull')], rules), []);
  assert.deepEqual(grant('ci', [repo('team/app', 'pull', 'push')], rules), [repo('team/app', 'pull', 'push')]);
  assert.deepEqual(grant('ci', [repo('other', 'pull', 'push')], rules), [repo('other', 'pull')]);
  assert.deepEqual(grant('admin', [repo('x', 'delete'), { type: 'registry', name: 'catalog', actions: ['*'] }], rules), [repo('x', 'delete'), { type: 'registry', name: 'catalog', actions: ['*'] }]);
  assert.deepEqual(grant('ci', [{ type: 'registry', name: 'catalog', actions: ['*'] }], rules), []);
});

test('tokens: signed, checked for issuer, service, expiry and signature', () => {
  const now = Date.now();
  const claims = { iss: 'i', sub: 'alice', aud: 's', exp: Math.floor(now / 1000) + 60, nbf: Math.floor(now / 1000), iat: Math.floor(now / 1000), jti: 'j', access: [repo('a', 'pull')] };
  const t = signToken(claims, 'secret');
  assert.deepEqual(verifyToken(t, 'secret', { issuer: 'i', service: 's', now }), claims);
  assert.equal(verifyToken(t, 'other', { issuer: 'i', service: 's', now }), undefined);
  assert.equal(verifyToken(t, 'secret', { issuer: 'i', service: 'x', now }), undefined);
  assert.equal(verifyToken(t, 'secret', { issuer: 'i', service: 's', now: now + 120_000 }), undefined);
  assert.equal(verifyToken('a.b', 'secret', { issuer: 'i', service: 's', now }), undefined);
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${t.split('.')[1]}.`;
  assert.equal(verifyToken(none, 'secret', { issuer: 'i', service: 's', now }), undefined);
});

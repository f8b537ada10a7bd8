import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authCredential, decodeRegistryAuth, registryHostsFrom, serverHost } from './images-registry.ts';

const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

test('X-Registry-Auth: base64url JSON as the CLI sends it; empty means anonymous', () => {
  assert.deepEqual(decodeRegistryAuth(enc({ username: 'u', password: 'p?>', serveraddress: 'r:5000' })), { username: 'u', password: 'p?>', serveraddress: 'r:5000' });
  assert.equal(decodeRegistryAuth(enc({})), undefined);
  assert.equal(decodeRegistryAuth(''), undefined);
  assert.equal(decodeRegistryAuth(undefined), undefined);
  assert.throws(() => decodeRegistryAuth('!!!'), { code: 'InvalidArgument' });
  assert.deepEqual(authCredential({ auth: Buffer.from('a:b:c').toString('base64') }), { username: 'a', password: 'b:c' });
  assert.deepEqual(authCredential({ identitytoken: 't' }), { identityToken: 't' });
});

test('daemon.json registry settings', () => {
  assert.deepEqual(registryHostsFrom({ 'registry-mirrors': ['http://127.0.0.1:5000/'], 'insecure-registries': ['10.0.0.0/8', 'r:5000'] }), { mirrors: ['http://127.0.0.1:5000'], insecure: ['10.0.0.0/8', 'r:5000'] });
  assert.deepEqual(registryHostsFrom({}), { mirrors: [], insecure: [] });
  assert.throws(() => registryHostsFrom({ 'registry-mirrors': ['127.0.0.1:5000'] }), { code: 'InvalidArgument' });
  assert.throws(() => registryHostsFrom({ 'registry-mirrors': ['https://m.example/path'] }), /path, query, or fragment/);
  assert.throws(() => registryHostsFrom({ 'insecure-registries': 'x' }), { code: 'InvalidArgument' });
  assert.equal(serverHost('https://index.docker.io/v1/'), 'registry-1.docker.io');
  assert.equal(serverHost('127.0.0.1:5000'), '127.0.0.1:5000');
});

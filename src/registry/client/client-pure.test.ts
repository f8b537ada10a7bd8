import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endpointsFor, isInsecure } from './resolver.ts';
import { parsePlatform, selectManifest, hostPlatform, type IndexEntry } from './platform.ts';
import { parseChallenge } from './auth.ts';
import { DockerConfigCredentials } from './credentials.ts';

test('resolver: docker.io, mirrors first; localhost and insecure: unverified HTTPS, then HTTP', () => {
  assert.deepEqual(endpointsFor('docker.io'), [{ host: 'registry-1.docker.io', url: 'https://registry-1.docker.io', mirror: false }]);
  const eps = endpointsFor('docker.io', { mirrors: ['http://127.0.0.1:5000/', 'mirror.example'] });
  assert.deepEqual(eps.map((e) => e.url), ['http://127.0.0.1:5000', 'https://mirror.example', 'https://registry-1.docker.io']);
  assert.equal(endpointsFor('quay.io', { mirrors: ['http://m'] }).length, 1);
  const viaHttp = (d: string, insecure?: string[]) => {
    const [e] = endpointsFor(d, { insecure });
    return [e.url, e.insecure, e.fallback];
  };
  assert.deepEqual(viaHttp('localhost:5000'), ['https://localhost:5000', true, 'http://localhost:5000']);
  assert.deepEqual(viaHttp('127.0.0.1:41000'), ['https://127.0.0.1:41000', true, 'http://127.0.0.1:41000']);
  assert.deepEqual(viaHttp('[::1]:5000'), ['https://[::1]:5000', true, 'http://[::1]:5000']);
  assert.deepEqual(viaHttp('reg.lan:5000', ['reg.lan:5000']), ['https://reg.lan:5000', true, 'http://reg.lan:5000']);
  assert.deepEqual(viaHttp('reg.lan:5000'), ['https://reg.lan:5000', undefined, undefined]);
  assert.deepEqual(endpointsFor('docker.io', { mirrors: ['https://10.0.0.1'], insecure: ['10.0.0.0/8'] })[0], { host: '10.0.0.1', url: 'https://10.0.0.1', mirror: true, insecure: true });
  assert.equal(isInsecure('10.1.2.3:5000', { insecure: ['10.0.0.0/8'] }), true);
  assert.equal(isInsecure('11.1.2.3:5000', { insecure: ['10.0.0.0/8'] }), false);
  assert.equal(endpointsFor('ghcr.io')[0].url, 'https://ghcr.io');
});

test('platform parsing and manifest choice', () => {
  assert.deepEqual(parsePlatform('linux/arm64/v8'), { os: 'linux', architecture: 'arm64' });
  assert.deepEqual(parsePlatform('arm'), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.deepEqual(hostPlatform('x64'), { os: 'linux', architecture: 'amd64' });
  assert.throws(() => parsePlatform('linux//x'), /invalid platform/);
  const e = (d: string, architecture: string, variant?: string, os = 'linux'): IndexEntry => ({ mediaType: 'm', digest: d, size: 1, platform: { os, architecture, variant } });
  const list = [e('win', 'amd64', undefined, 'windows'), e('amd', 'amd64'), e('v6', 'arm', 'v6'), e('a64', 'arm64', 'v8'),
    { ...e('att', 's390x'), annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } }];
  assert.equal(selectManifest(list, { os: 'linux', architecture: 'amd64' }).digest, 'amd');
  assert.equal(selectManifest(list, { os: 'linux', architecture: 'arm64' }).digest, 'a64');
  assert.equal(selectManifest(list, { os: 'linux', architecture: 'arm', variant: 'v7' }).digest, 'v6');
  assert.throws(() => selectManifest(list, { os: 'linux', architecture: 's390x' }), /no matching manifest for linux\/s390x/);
});

test('WWW-Authenticate challenges', () => {
  assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'),
    { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } });
  assert.deepEqual(parseChallenge('Basic realm="test"'), { scheme: 'basic', params: { realm: 'test' } });
});

test('credentials from config.json auths and from a credential helper', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-creds-'));
  try {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({
      auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw:with:colons').toString('base64') }, 'reg.example:5000': { auth: Buffer.from('u:p').toString('base64') } },
      credHelpers: { 'helped.example': 'berthtest' },
    }));
    const helper = join(dir, 'docker-credential-berthtest');
    writeFileSync(helper, '#!/bin/sh\nread host\nif [ "$1" = get ] && [ "$host" = helped.example ]; then echo "{\\"ServerURL\\":\\"$host\\",\\"Username\\":\\"hu\\",\\"Secret\\":\\"hs\\"}"; else echo "credentials not found in native keychain"; exit 1; fi\n');
    chmodSync(helper, 0o755);
    const oldPath = process.env.PATH;
    process.env.PATH = `${dir}:${oldPath}`;
    try {
      const c = new DockerConfigCredentials({ configDir: dir });
      assert.deepEqual(await c.get('registry-1.docker.io'), { username: 'hub', password: 'pw:with:colons' });
      assert.deepEqual(await c.get('reg.example:5000'), { username: 'u', password: 'p' });
      assert.deepEqual(await c.get('helped.example'), { username: 'hu', password: 'hs' });
      assert.equal(await c.get('other.example'), undefined);
    } finally {
      process.env.PATH = oldPath;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

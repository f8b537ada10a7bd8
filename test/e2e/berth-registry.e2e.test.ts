// berth's own registry (token auth over htpasswd) with the real docker CLI through berthd:
// login, push, pull back and run; a pull-only account is refused a push.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requires } from '../support/requires.ts';
import { startBerthd, type Berthd } from './support/daemon.ts';
import { docker, haveDocker } from './support/docker-cli.ts';
import { startRegistry, type TestRegistry } from '../registry/harness.ts';
import { HTPASSWD, ACCESS } from '../registry/auth-fixtures.ts';

const skip = requires('root', 'busybox', 'overlay', 'cgroup-v1') || (haveDocker() ? false : 'no docker CLI');
let dir: string;
let reg: TestRegistry;
let d: Berthd;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'berth-test-regdocker-'));
  writeFileSync(join(dir, 'htpasswd'), HTPASSWD);
  reg = await startRegistry({ auth: { htpasswd: { path: join(dir, 'htpasswd') }, token: { service: 'berth-test' }, access: ACCESS } });
  d = await startBerthd({ busybox: true, config: { 'insecure-registries': [reg.host] } });
});

after(async () => {
  await d?.stop();
  await reg?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[], input?: string) => docker(args, d.dockerEnv, { input, timeoutMs: 60_000 });

test('docker login, push, pull and run against berth registry serve (token auth)', { skip }, async () => {
  const ref = `${reg.host}/team/bb:1`;
  const login = await run(['login', reg.host, '-u', 'alice', '--password-stdin'], 's3cret\n');
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /Login Succeeded/);
  assert.equal((await run(['tag', 'busybox', ref])).code, 0);
  const push = await run(['push', ref]);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, /1: digest: sha256:[0-9a-f]{64}/);
  assert.equal((await run(['rmi', ref])).code, 0);
  const pull = await run(['pull', ref]);
  assert.equal(pull.code, 0, pull.stderr);
  assert.equal((await run(['run', '--rm', ref, 'echo', 'pulled from berth'])).stdout, 'pulled from berth\n');

  assert.equal((await run(['logout', reg.host])).code, 0);
  assert.equal((await run(['login', reg.host, '-u', 'bob', '--password-stdin'], 'readpw\n')).code, 0);
  const denied = await run(['push', ref]);
  assert.notEqual(denied.code, 0, 'a pull-only account cannot push');
  assert.match(denied.stderr + denied.stdout, /denied|unauthorized|insufficient/i);
  const wrong = await run(['login', reg.host, '-u', 'alice', '--password-stdin'], 'nope\n');
  assert.notEqual(wrong.code, 0);
});

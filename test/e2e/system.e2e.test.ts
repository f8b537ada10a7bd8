// berthd's system endpoints through the real docker CLI and raw HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { docker, haveDocker } from './support/docker-cli.ts';
import { startBerthd, type Berthd } from './support/daemon.ts';
import { makeTlsFiles } from './support/tls-certs.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const noDocker = haveDocker() ? false : 'docker CLI not installed';

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: string }
function http(d: Berthd, method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: d.socket, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject).end();
  });
}

let d: Berthd;
before(async () => { d = await startBerthd(); });
after(async () => { await d?.stop(); });

test('docker version shows berth as the server', { skip: noDocker }, async () => {
  const r = await docker(['version', '--format', '{{json .}}'], d.dockerEnv);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout) as { Client: { ApiVersion: string }; Server: { Version: string; ApiVersion: string; MinAPIVersion: string; Platform: { Name: string }; Os: string } };
  assert.equal(v.Server.Version, VERSION);
  assert.equal(v.Server.ApiVersion, '1.55');
  assert.equal(v.Server.MinAPIVersion, '1.41');
  assert.equal(v.Server.Platform.Name, 'berth');
  assert.equal(v.Server.Os, 'linux');
  assert.equal(v.Client.ApiVersion, '1.50', 'docker 28 negotiates down to its own maximum');
  const text = await docker(['version'], d.dockerEnv);
  assert.match(text.stdout, /Server: berth\n Engine:\n  Version:\s+\S+\n  API version:\s+1\.55 \(minimum version 1\.41\)/);
});

test('docker version with DOCKER_API_VERSION=1.41, and 1.40 refused', { skip: noDocker }, async () => {
  const ok = await docker(['version', '--format', '{{.Client.APIVersion}} {{.Server.Version}}'], { ...d.dockerEnv, DOCKER_API_VERSION: '1.41' });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), `1.41 ${VERSION}`);
  const old = await docker(['version'], { ...d.dockerEnv, DOCKER_API_VERSION: '1.40' });
  assert.notEqual(old.code, 0);
  assert.match(old.stderr, /client version 1\.40 is too old\. Minimum supported API version is 1\.41/);
});

test('docker info --format json has the host\'s real numbers', { skip: noDocker }, async () => {
  const r = await docker(['info', '--format', '{{json .}}'], d.dockerEnv);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(info.NCPU, availableParallelism());
  assert.equal(info.MemTotal, totalmem());
  assert.equal(info.KernelVersion, release());
  assert.equal(info.Driver, 'overlay2');
  assert.equal(info.CgroupDriver, 'cgroupfs');
  assert.equal(info.CgroupVersion, existsSync('/sys/fs/cgroup/cgroup.controllers') ? '2' : '1');
  assert.equal(info.ServerVersion, VERSION);
  assert.equal(info.DockerRootDir, d.dataRoot);
  assert.equal(info.Containers, 0);
  assert.equal(info.Images, 0);
  assert.equal(typeof info.OperatingSystem, 'string');
  assert.match(String(info.ID), /^[0-9a-f-]{36}$/);
  const text = await docker(['info'], d.dockerEnv);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Server Version: /);
});

test('docker system events --since 0 --until now returns', { skip: noDocker }, async () => {
  const t0 = Date.now();
  const r = await docker(['system', 'events', '--since', '0', '--until', String(Math.floor(Date.now() / 1000))], d.dockerEnv, { timeoutMs: 10_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.ok(Date.now() - t0 < 5000);
  const f = await docker(['events', '--since', '0', '--until', '1', '--filter', 'type=container', '--format', '{{json .}}'], d.dockerEnv);
  assert.equal(f.code, 0, f.stderr);
});

test('an endpoint berthd does not serve: Docker\'s 404 through the CLI', { skip: noDocker }, async () => {
  const r = await docker(['plugin', 'ls'], d.dockerEnv);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Error response from daemon: page not found/);
});

test('raw HTTP: ping headers, negotiation errors, 404s', async () => {
  const head = await http(d, 'HEAD', '/_ping');
  assert.equal(head.status, 200);
  assert.equal(head.headers['api-version'], '1.55');
  assert.equal(head.headers['docker-experimental'], 'false');
  assert.equal(head.headers.ostype, 'linux');
  assert.equal(head.headers['cache-control'], 'no-cache, no-store, must-revalidate');
  assert.equal(head.headers.pragma, 'no-cache');
  assert.ok(head.headers['builder-version']);
  assert.equal(head.body, '');
  const get = await http(d, 'GET', '/v1.41/_ping');
  assert.equal(get.body, 'OK');
  assert.equal(get.headers['content-type'], 'text/plain; charset=utf-8');
  const tooNew = await http(d, 'GET', '/v1.99/version');
  assert.equal(tooNew.status, 400);
  assert.deepEqual(JSON.parse(tooNew.body), { message: 'client version 1.99 is too new. Maximum supported API version is 1.55' });
  const tooOld = await http(d, 'GET', '/v1.40/info');
  assert.equal(tooOld.status, 400);
  assert.match(JSON.parse(tooOld.body).message, /^client version 1\.40 is too old\. Minimum supported API version is 1\.41/);
  for (const p of ['/nope', '/v1.45/nope', '/plugins', '/v1.41/swarm']) {
    const r = await http(d, 'GET', p);
    assert.equal(r.status, 404, p);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.body), { message: 'page not found' }, p);
  }
  const v = await http(d, 'GET', '/version');
  assert.equal(v.status, 200);
  assert.equal(JSON.parse(v.body).ApiVersion, '1.55');
  const bad = await http(d, 'GET', '/events?since=yesterday');
  assert.equal(bad.status, 400);
});

test('socket mode 0660, pidfile holds the pid', () => {
  assert.equal(statSync(d.socket).mode & 0o777, 0o660);
  assert.equal(readFileSync(d.pidfile, 'utf8').trim(), String(d.pid));
});

test('SIGTERM: clean exit, socket and pidfile removed', async () => {
  const d2 = await startBerthd();
  const { socket, pidfile } = d2;
  const code = await d2.stop();
  assert.equal(code, 0, d2.stderr());
  assert.equal(existsSync(socket), false);
  assert.equal(existsSync(pidfile), false);
  assert.match(d2.stderr(), /Daemon shutdown complete/);
});

test('refusals at start-up: tcp without TLS, unknown daemon.json keys', async () => {
  await assert.rejects(startBerthd({ args: ['-H', 'tcp://127.0.0.1:0'] }), /refusing to listen on tcp:\/\/127\.0\.0\.1:0 without TLS/);
  await assert.rejects(startBerthd({ config: { 'no-such-directive': true } }), /the following directives don't match any configuration option: no-such-directive/);
});

test('tcp with an explicit --tls=false serves the docker CLI', { skip: noDocker }, async () => {
  const d3 = await startBerthd({ args: ['-H', 'tcp://127.0.0.1:0', '--tls=false'] });
  try {
    const m = /API listen on (tcp:\/\/127\.0\.0\.1:\d+)/.exec(d3.stderr());
    assert.ok(m, d3.stderr());
    const r = await docker(['-H', m[1], 'version', '--format', '{{.Server.Version}}'], d3.dockerEnv);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), VERSION);
  } finally {
    await d3.stop();
  }
});

test('tcp with --tlsverify: docker --tlsverify gets in, a client without a certificate does not', { skip: noDocker }, async () => {
  const certDir = mkdtempSync(join(tmpdir(), 'berth-test-tls-'));
  try {
    const t = makeTlsFiles(certDir);
    const d4 = await startBerthd({ args: ['-H', 'tcp://127.0.0.1:0', '--tlsverify', '--tlscacert', t.ca, '--tlscert', t.serverCert, '--tlskey', t.serverKey] });
    try {
      const host = /API listen on (tcp:\/\/127\.0\.0\.1:\d+)/.exec(d4.stderr())?.[1];
      assert.ok(host, d4.stderr());
      const tlsArgs = ['--tlsverify', '--tlscacert', t.ca, '--tlscert', t.clientCert, '--tlskey', t.clientKey, '-H', host];
      const ok = await docker([...tlsArgs, 'version', '--format', '{{.Server.Version}}'], d4.dockerEnv);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout.trim(), VERSION);
      const noCert = await docker(['--tlsverify', '--tlscacert', t.ca, '-H', host, 'version', '--format', '{{.Server.Version}}'], d4.dockerEnv);
      assert.notEqual(noCert.code, 0);
      const plain = await docker(['-H', host, 'version', '--format', '{{.Server.Version}}'], d4.dockerEnv);
      assert.notEqual(plain.code, 0);
    } finally {
      await d4.stop();
    }
  } finally {
    rmSync(certDir, { recursive: true, force: true });
  }
});

test('docker events with --until in the near future streams, then ends on time', { skip: noDocker }, async () => {
  const t0 = Date.now();
  const until = ((Date.now() + 1500) / 1000).toFixed(3);
  const r = await docker(['events', '--until', until], d.dockerEnv, { timeoutMs: 10_000 });
  const took = Date.now() - t0;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(took >= 1000 && took < 6000, `took ${took} ms`);
});

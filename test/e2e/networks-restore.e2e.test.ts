// Networks across a berthd restart: a container on a user network with a published port keeps
// its address, its port (proxy on 127.0.0.1 and DNAT on the gateway) and its DNS name under the
// next berthd; it can be disconnected and connected again; nothing is left afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { requires } from '../support/requires.ts';
import { startBerthd, netTag, type Berthd } from './support/daemon.ts';
import { docker, haveDocker } from './support/docker-cli.ts';

const run = promisify(execFile);
const skip = requires('root', 'busybox') || (haveDocker() ? false : 'docker CLI not installed');
const third = 100 + Math.floor(Math.random() * 150);
const port = 32100 + Math.floor(Math.random() * 600); // below the ephemeral range, above networks.e2e's ports

const links = (prefix: string) => execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n')
  .map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n.startsWith(prefix));
async function ok(d: Berthd, args: string[]): Promise<string> {
  const r = await docker(args, d.dockerEnv, { timeoutMs: 30_000 });
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}\nberthd: ${d.stderr().slice(-2000)}`);
  return r.stdout.trim();
}
const get = async (url: string) => (await run('curl', ['-sS', '--max-time', '3', url], { encoding: 'utf8' })).stdout;
async function retry<T>(fn: () => Promise<T>, tries = 20): Promise<T> {
  for (let i = 0; ; i++) {
    try { return await fn(); } catch (e) { if (i >= tries) throw e; await new Promise((r) => setTimeout(r, 150)); }
  }
}

test('SIGKILL berthd: the next one has the container\'s address, published port and DNS name back', { skip, timeout: 120_000 }, async () => {
  let d = await startBerthd({ busybox: true });
  const tag = netTag(d.dir);
  try {
    await ok(d, ['network', 'create', '--subnet', `10.216.${third}.0/24`, 'rs-net']);
    await ok(d, ['network', 'create', '--subnet', `10.217.${third}.0/24`, 'rs-other']);
    await ok(d, ['run', '-d', '--name', 'rs-web', '--network', 'rs-net', '-p', `${port}:8080`, 'busybox', 'sh', '-c', 'echo kept > /i.html && exec httpd -f -p 8080 -h /']);
    const ip = await ok(d, ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', 'rs-web']);
    assert.equal(await retry(() => get(`http://127.0.0.1:${port}/i.html`)), 'kept\n');
    await d.kill();
    d = await startBerthd({ dir: d.dir });
    assert.equal(await ok(d, ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', 'rs-web']), ip);
    assert.equal(await retry(() => get(`http://127.0.0.1:${port}/i.html`)), 'kept\n');
    const gw = await ok(d, ['network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Gateway}}{{end}}', 'rs-net']);
    assert.equal(await retry(() => get(`http://${gw}:${port}/i.html`)), 'kept\n');
    assert.equal(await ok(d, ['run', '--rm', '--network', 'rs-net', 'busybox', 'wget', '-qO-', 'http://rs-web:8080/i.html']), 'kept');
    await ok(d, ['network', 'connect', 'rs-other', 'rs-web']);
    assert.match(await ok(d, ['exec', 'rs-web', 'ip', '-o', '-4', 'addr']), new RegExp(`eth1 +inet 10\\.217\\.${third}\\.`));
    await ok(d, ['network', 'disconnect', 'rs-other', 'rs-web']);
    assert.doesNotMatch(await ok(d, ['exec', 'rs-web', 'ip', '-o', 'link']), /eth1/);
    await ok(d, ['rm', '-f', 'rs-web']);
    await ok(d, ['network', 'rm', 'rs-net', 'rs-other']);
    assert.deepEqual(links(`bt-${tag}`).filter((l) => !l.endsWith('0')), [], 'only the default bridge is left');
  } finally {
    await docker(['rm', '-f', 'rs-web'], d.dockerEnv).catch(() => undefined);
    await d.stop();
  }
  assert.deepEqual(links(`bt-${tag}`), [], 'nothing left after berthd stops');
});

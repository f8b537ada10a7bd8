// The embedded DNS of a container on several user networks: the names of every one of its
// networks resolve, whichever network's server answers (three networks and more); Docker's
// 127.0.0.11 in resolv.conf, over UDP and TCP, following connects and disconnects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { requires } from '../support/requires.ts';
import { startBerthd, netTag, type Berthd } from './support/daemon.ts';
import { docker, haveDocker } from './support/docker-cli.ts';

const skip = requires('root', 'busybox') || (haveDocker() ? false : 'docker CLI not installed');
const NETS = ['dn-1', 'dn-2', 'dn-3', 'dn-4'];
const CONTAINERS = ['dn-peer-1', 'dn-peer-2', 'dn-peer-3', 'dn-peer-4', 'dn-multi'];
let d: Berthd;

const links = (prefix: string) => execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n')
  .map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n.startsWith(prefix));
async function ok(args: string[]): Promise<string> {
  const r = await docker(args, d.dockerEnv, { timeoutMs: 30_000 });
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}
/** The address busybox nslookup finds for `name` inside `container` ('' when none). */
async function lookup(container: string, name: string): Promise<string> {
  const r = await docker(['exec', container, 'nslookup', name], d.dockerEnv, { timeoutMs: 30_000 });
  const m = /Name:\s+\S+\s+Address(?: \d+)?:\s+([\d.]+)/.exec(r.stdout);
  return m?.[1] ?? '';
}

before(async () => { if (!skip) d = await startBerthd({ busybox: true }); });
after(async () => {
  if (!d) return;
  const tag = netTag(d.dir);
  await docker(['rm', '-f', ...CONTAINERS], d.dockerEnv);
  await docker(['network', 'rm', ...NETS], d.dockerEnv);
  await d.stop();
  assert.deepEqual(links(`bt-${tag}`), [], 'nothing left after berthd stops');
});

test('a container on four user networks resolves the peers of each', { skip, timeout: 120_000 }, async () => {
  const third = 100 + Math.floor(Math.random() * 150);
  const ips: string[] = [];
  for (const [i, n] of NETS.entries()) {
    await ok(['network', 'create', '--subnet', `10.${218 + i}.${third}.0/24`, n]);
    await ok(['run', '-d', '--name', `dn-peer-${i + 1}`, '--network', n, 'busybox', 'sleep', '300']);
    ips.push(await ok(['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', `dn-peer-${i + 1}`]));
  }
  // three at start (the first plus two --network more: docker CLI ≥ 25), the fourth connected while it runs
  await ok(['create', '--name', 'dn-multi', '--network', 'dn-1', 'busybox', 'sleep', '300']);
  for (const n of ['dn-2', 'dn-3']) await ok(['network', 'connect', n, 'dn-multi']);
  await ok(['start', 'dn-multi']);
  for (const [i] of NETS.slice(0, 3).entries()) assert.equal(await lookup('dn-multi', `dn-peer-${i + 1}`), ips[i], `dn-peer-${i + 1} from dn-multi (3 networks)`);
  await ok(['network', 'connect', 'dn-4', 'dn-multi']);
  for (const [i] of NETS.entries()) assert.equal(await lookup('dn-multi', `dn-peer-${i + 1}`), ips[i], `dn-peer-${i + 1} from dn-multi (4 networks)`);
  // a peer sees only its own network's names
  assert.equal(await lookup('dn-peer-1', 'dn-peer-2'), '');
  await ok(['network', 'disconnect', 'dn-1', 'dn-multi']);
  assert.equal(await lookup('dn-multi', 'dn-peer-1'), '', 'names of a network left no longer resolve');
  assert.equal(await lookup('dn-multi', 'dn-peer-2'), ips[1]);
  // 127.0.0.11 led to dn-4's server; without dn-4 it leads to another one
  assert.match(await ok(['exec', 'dn-multi', 'cat', '/etc/resolv.conf']), /^nameserver 127\.0\.0\.11$/m);
  await ok(['network', 'disconnect', 'dn-4', 'dn-multi']);
  assert.equal(await lookup('dn-multi', 'dn-peer-3'), ips[2]);
  assert.equal(await ok(['exec', 'dn-multi', 'sh', '-c', 'nc -w 2 127.0.0.11 53 </dev/null && echo tcp']), 'tcp');
});

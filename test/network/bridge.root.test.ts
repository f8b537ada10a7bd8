// A bridge network on this host: two netns "containers" talk over it, published ports answer on
// the gateway address (nftables DNAT) and on 127.0.0.1 (the in-process proxy), UDP, a 200-port
// range in one process, the embedded DNS. Nothing of it remains afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import dnsPacket from 'dns-packet';
import { requires } from '../support/requires.ts';
import { NetFixture, until } from './fixture.ts';
import { BridgeNetworks, NetApplier, parsePortSpec, resolvConf } from '../../src/network/index.ts';

const skip = requires('root', 'busybox');
const fx = new NetFixture();
const applier = new NetApplier({ table: fx.table });
let upstream: ReturnType<typeof createSocket> | undefined;
let nets: BridgeNetworks;
const octet = 100 + Math.floor(Math.random() * 150);
const subnet = `10.252.${octet}.0/24`;
const gw = `10.252.${octet}.1`;
let c1 = '';
let c2 = '';

function children(): number {
  let n = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try { if (readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1] === String(process.pid)) n++; } catch { /* gone */ }
  }
  return n;
}

async function get(url: string): Promise<string> {
  const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return (await r.text()).trim();
}

before(async () => {
  if (skip) return;
  // a fake upstream resolver on loopback: every A query for *.outside.test gets 203.0.113.7
  upstream = createSocket('udp4');
  upstream.on('message', (m, r) => {
    const q = dnsPacket.decode(m);
    const name = q.questions?.[0]?.name ?? '';
    const found = name.endsWith('outside.test');
    upstream!.send(dnsPacket.encode({ id: q.id, type: 'response', flags: dnsPacket.RECURSION_AVAILABLE | (found ? 0 : 3), questions: q.questions,
      answers: name.endsWith('outside.test') ? [{ type: 'A', name, ttl: 60, data: '203.0.113.7' }] : [] }), r.port, r.address);
  });
  await new Promise<void>((r) => upstream!.bind(0, '127.0.0.1', () => r()));
  nets = new BridgeNetworks({ applier, ipForward: false, vethPrefix: fx.linkPrefix, upstreams: ['127.0.0.1'], upstreamPort: upstream.address().port });
  await nets.init();
  c1 = fx.addNetns('c1');
  c2 = fx.addNetns('c2');
  // `ip netns exec` shows /etc/netns/NS/resolv.conf as the container's /etc/resolv.conf
  for (const ns of [c1, c2]) fx.etc(ns, 'resolv.conf', resolvConf({ host: 'nameserver 127.0.0.53\nsearch example.com\n', embedded: gw }));
});

after(async () => {
  if (skip) return;
  await nets?.shutdown().catch(() => undefined);
  upstream?.close();
  await fx.cleanup();
  assert.deepEqual(fx.leftovers(), { links: [], netns: [], tables: [] });
});

test('create a network, connect two containers: ping and HTTP between them', { skip }, async () => {
  const t0 = performance.now();
  const n = await nets.create({ id: `${fx.tag}0000000000`, name: `net-${fx.tag}`, bridge: `${fx.linkPrefix}-b1`, subnet, dns: true });
  assert.equal(n.ipam.gateway, gw);
  assert.ok(execFileSync('ip', ['-o', 'addr', 'show', 'dev', n.bridge], { encoding: 'utf8' }).includes(`${gw}/24`));
  const e1 = await nets.connect(n.id, { containerId: 'c1', names: ['web', 'app'], netns: c1 });
  const e2 = await nets.connect(n.id, { containerId: 'c2', names: ['client', 'app'], netns: c2 });
  assert.equal(e1.ip, `10.252.${octet}.2`);
  assert.equal(e2.ip, `10.252.${octet}.3`);
  assert.ok(performance.now() - t0 < 5000);
  assert.match(await fx.exec(c1, ['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0']), new RegExp(`${e1.ip}/24`));
  assert.match(await fx.exec(c1, ['ip', 'route']), new RegExp(`default via ${gw} dev eth0`));
  assert.ok(await fx.ok(c2, ['busybox', 'ping', '-c1', '-W2', e1.ip]));
  fx.httpd(c1, 8080, 'hello from c1');
  await until(() => fx.ok(c2, ['busybox', 'wget', '-qO-', `http://${e1.ip}:8080/`]));
  assert.equal((await fx.exec(c2, ['busybox', 'wget', '-qO-', `http://${e1.ip}:8080/`])).trim(), 'hello from c1');
  assert.equal((await fx.exec(c2, ['busybox', 'wget', '-qO-', `http://${e1.ip}:8080/cgi-bin/ip`])).trim().replace(/^\[::ffff:(.*)\]$/, '$1'), e2.ip);
});

test('embedded DNS: names and aliases (round robin), forwarding, refusing strangers', { skip }, async () => {
  const [e1, e2] = nets.endpoints();
  const out = await fx.exec(c2, ['busybox', 'nslookup', 'web', gw]);
  assert.match(out, new RegExp(`Address: ${e1.ip.replaceAll('.', '\\.')}`));
  assert.equal((await fx.exec(c2, ['busybox', 'wget', '-qO-', 'http://web:8080/'])).trim(), 'hello from c1');
  const both = await fx.exec(c1, ['busybox', 'nslookup', 'app', gw]);
  assert.ok(both.includes(e1.ip) && both.includes(e2.ip));
  assert.match(await fx.exec(c1, ['busybox', 'nslookup', 'x.outside.test', gw]), /203\.0\.113\.7/);
  assert.ok(!(await fx.ok(c1, ['busybox', 'nslookup', 'nope.invalid', gw])));
  // a client outside the network's subnet is refused
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const reply = new Promise<Buffer>((r) => s.once('message', r));
  s.send(dnsPacket.encode({ id: 9, type: 'query', questions: [{ type: 'A', name: 'web' }] }), 53, gw);
  const r = dnsPacket.decode(await reply) as { rcode?: string; answers?: unknown[] };
  s.close();
  assert.equal(r.rcode, 'REFUSED');
  assert.deepEqual(r.answers, []);
});

test('published port: gateway address via DNAT, 127.0.0.1 via the proxy, random host port', { skip }, async () => {
  const [p] = await nets.publish(nets.endpoints()[0].networkId, 'c1', parsePortSpec('8080'));
  assert.ok(p.hostPort >= 1024);
  assert.equal(await get(`http://${gw}:${p.hostPort}/`), 'hello from c1');
  assert.equal(await get(`http://127.0.0.1:${p.hostPort}/`), 'hello from c1');
  const map = execFileSync('nft', ['list', 'map', 'ip', fx.table, 'pub_tcp_any'], { encoding: 'utf8' });
  assert.match(map, new RegExp(`${p.hostPort} : ${nets.endpoints()[0].ip} \\. 8080`));
  await assert.rejects(nets.publish(nets.endpoints()[0].networkId, 'c2', parsePortSpec(`${p.hostPort}:80`)),
    new RegExp(`Bind for 0.0.0.0:${p.hostPort} failed: port is already allocated`));
});

test('UDP through the proxy on 127.0.0.1', { skip }, async () => {
  const port = 5300;
  fx.start(c2, [process.execPath, '-e',
    `const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send(Buffer.from('echo:'+m),r.port,r.address));s.bind(${port})`]);
  const [b] = await nets.publish(nets.endpoints()[0].networkId, 'c2', parsePortSpec(`127.0.0.1::${port}/udp`));
  const sock = createSocket('udp4');
  const answer = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => sock.send('ping', b.hostPort, '127.0.0.1'), 200);
    sock.on('message', (m) => { clearInterval(timer); resolve(m.toString()); });
    setTimeout(() => { clearInterval(timer); reject(new Error('no UDP answer')); }, 5000);
  });
  sock.close();
  assert.equal(answer, 'echo:ping');
});

test('a 200-port range: one nft change, no extra process', { skip }, async () => {
  const base = 20000 + Math.floor(Math.random() * 9000);
  fx.httpd(c2, 8000, 'first');
  fx.httpd(c2, 8199, 'last');
  const before = children();
  const procs = applier.processes;
  const listeners = nets.proxy.size;
  const bound = await nets.publish(nets.endpoints()[0].networkId, 'c2', parsePortSpec(`${base}-${base + 199}:8000-8199`));
  assert.equal(bound.length, 200);
  assert.equal(applier.processes - procs, 1);
  assert.equal(nets.proxy.size - listeners, 200);
  assert.equal(children(), before);
  await until(async () => (await get(`http://127.0.0.1:${base}/`).catch(() => '')) === 'first');
  assert.equal(await get(`http://${gw}:${base + 199}/`), 'last');
  assert.equal(await get(`http://127.0.0.1:${base + 199}/`), 'last');
  await nets.unpublish(nets.endpoints()[0].networkId, 'c2');
  assert.equal(nets.proxy.size, listeners - 1); // c2's UDP port went too
  await assert.rejects(get(`http://127.0.0.1:${base}/`));
});

test('disconnect and remove: veth, bridge and elements gone; network in use refused', { skip }, async () => {
  const id = nets.networks()[0].id;
  await assert.rejects(nets.remove(id), /has active endpoints/);
  await nets.disconnect(id, 'c1');
  await nets.disconnect(id, 'c2');
  assert.doesNotMatch(await fx.exec(c1, ['ip', '-o', 'link']), /eth0/);
  await nets.remove(id);
  assert.deepEqual(fx.leftovers().links, []);
  const table = execFileSync('nft', ['list', 'table', 'ip', fx.table], { encoding: 'utf8' });
  assert.doesNotMatch(table, /elements/);
});

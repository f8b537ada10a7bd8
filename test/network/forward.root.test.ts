// Routed traffic, in a netns standing in for the host (so ip_forward and berth's nft table live
// there, not on this machine): outbound masquerade to an "outside" netns, --internal blocking
// it, isolation between networks, and a published port reached from outside with the client's
// source address kept (kernel DNAT, no proxy in the path).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { requires } from '../support/requires.ts';
import { NetFixture, until } from './fixture.ts';
import { BridgeNetworks, NetApplier, parsePortSpec } from '../../src/network/index.ts';

const skip = requires('root', 'busybox');
const fx = new NetFixture();
let host = '';
let out = '';
let ca = '';
let cb = '';
let nets: BridgeNetworks;
let applier: NetApplier;
const o = 100 + Math.floor(Math.random() * 150);

before(async () => {
  if (skip) return;
  host = fx.addNetns('host');
  out = fx.addNetns('out');
  ca = fx.addNetns('ca');
  cb = fx.addNetns('cb');
  const h = `${fx.linkPrefix}-h`;
  execFileSync('ip', ['link', 'add', h, 'netns', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', out]);
  execFileSync('ip', ['-n', host, '-batch', '-'], { input: `link set lo up\nlink set ${h} up\naddr add 10.253.${o}.1/24 dev ${h}\n` });
  execFileSync('ip', ['-n', out, '-batch', '-'], { input: `link set lo up\nlink set eth0 up\naddr add 10.253.${o}.2/24 dev eth0\n` });
  applier = new NetApplier({ table: fx.table, hostNetns: host });
  nets = new BridgeNetworks({ applier, ipForward: true, vethPrefix: fx.linkPrefix });
  await nets.init();
  const n1 = await nets.create({ id: `${fx.tag}aaaaaaaaaa`, name: 'n1', bridge: `${fx.linkPrefix}-n1`, subnet: `10.254.${o}.0/24` });
  const n2 = await nets.create({ id: `${fx.tag}bbbbbbbbbb`, name: 'n2', bridge: `${fx.linkPrefix}-n2`, subnet: `10.254.${o + 1}.0/24`, internal: true });
  await nets.connect(n1.id, { containerId: 'a', netns: ca });
  await nets.connect(n2.id, { containerId: 'b', netns: cb });
});

after(async () => {
  if (skip) return;
  await nets?.shutdown().catch(() => undefined);
  await fx.cleanup();
  assert.deepEqual(fx.leftovers(), { links: [], netns: [], tables: [] });
});

const ping = (ns: string, ip: string) => fx.ok(ns, ['busybox', 'ping', '-c1', '-W1', ip], 3000);

test('outbound from a bridge network is masqueraded', { skip }, async () => {
  assert.equal((await fx.exec(host, ['sysctl', '-n', 'net.ipv4.ip_forward'])).trim(), '1');
  assert.ok(await ping(ca, `10.253.${o}.2`));
});

test('--internal: no default route, nothing forwarded out; networks isolated from each other', { skip }, async () => {
  assert.doesNotMatch(await fx.exec(cb, ['ip', 'route']), /default/);
  // give the packets every chance: a default route in the container, a route back outside
  await fx.exec(cb, ['ip', 'route', 'add', 'default', 'via', `10.254.${o + 1}.1`]);
  await fx.exec(out, ['ip', 'route', 'add', '10.254.0.0/16', 'via', `10.253.${o}.1`]);
  assert.equal(await ping(cb, `10.253.${o}.2`), false);
  const [a, b] = nets.endpoints();
  assert.equal(await ping(ca, b.ip), false);
  assert.equal(await ping(cb, a.ip), false);
  assert.ok(await ping(cb, `10.254.${o + 1}.1`)); // its own gateway still answers
  // the same path works once berth's drop rules are out of the way: the test is not vacuous
  await fx.exec(host, ['nft', 'flush', 'chain', 'ip', fx.table, 'forward']);
  assert.ok(await ping(cb, `10.253.${o}.2`));
  assert.ok(await ping(ca, b.ip));
  // a daemon restart: a fresh table, then the networks taken back
  const states = nets.networks();
  const again = new BridgeNetworks({ applier, ipForward: true, vethPrefix: fx.linkPrefix });
  await again.init();
  await again.restore(states);
  assert.match(await fx.exec(host, ['nft', 'list', 'set', 'ip', fx.table, 'internal']), new RegExp(states[1].bridge));
  assert.equal(await ping(cb, `10.253.${o}.2`), false);
  await fx.exec(out, ['ip', 'route', 'del', '10.254.0.0/16']);
});

test('published port from outside: DNAT keeps the client address', { skip }, async () => {
  const a = nets.endpoints()[0];
  fx.httpd(ca, 8080, 'from a');
  const [p] = await nets.publish(a.networkId, 'a', parsePortSpec('8080'));
  const url = `http://10.253.${o}.1:${p.hostPort}`;
  await until(() => fx.ok(out, ['busybox', 'wget', '-qO-', `${url}/`]));
  assert.equal((await fx.exec(out, ['busybox', 'wget', '-qO-', `${url}/`])).trim(), 'from a');
  const seen = (await fx.exec(out, ['busybox', 'wget', '-qO-', `${url}/cgi-bin/ip`])).trim().replace(/^\[::ffff:(.*)\]$/, '$1');
  assert.equal(seen, `10.253.${o}.2`);
  await nets.unpublish(a.networkId, 'a');
  assert.equal(await fx.ok(out, ['busybox', 'wget', '-T', '2', '-qO-', `${url}/`]), false);
});

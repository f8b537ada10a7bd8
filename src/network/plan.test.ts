import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bridgeName, planConnect, planPlumb, planCreateNetwork, planDisconnect, planPublish, planRemoveNetwork, planUnpublish, vethName } from './plan.ts';
import { renderIpBatch } from './ip-batch.ts';
import { renderNft, tableScript } from './firewall.ts';

const net = { bridge: 'br-0123456789ab', subnet: '172.18.0.0/16', gateway: '172.18.0.1', internal: false };

test('create network: one ip batch, one nft change, forwarding on', () => {
  const steps = planCreateNetwork(net, { ipForward: true });
  assert.equal(steps.length, 3);
  const [ip, nft, sysctl] = steps;
  assert.equal(ip.kind === 'ip' && renderIpBatch(ip.ops),
    'link add name br-0123456789ab type bridge\naddr add 172.18.0.1/16 dev br-0123456789ab\nlink set dev br-0123456789ab up\n');
  assert.equal(nft.kind === 'nft' && renderNft(nft.ops, 'berth'), [
    'add element ip berth bridges { "br-0123456789ab" }',
    'add element ip berth same { "br-0123456789ab" . "br-0123456789ab" }',
    'add element ip berth subnets { 172.18.0.0/16 }',
    'add element ip berth masq { 172.18.0.0/16 }', ''].join('\n'));
  assert.deepEqual(sysctl, { kind: 'sysctl', key: 'net.ipv4.ip_forward', value: '1' });
});

test('internal network: no masquerade, no forwarding sysctl', () => {
  const steps = planCreateNetwork({ ...net, internal: true }, { ipForward: true });
  assert.equal(steps.length, 2);
  const text = steps[1].kind === 'nft' ? renderNft(steps[1].ops) : '';
  assert.match(text, /add element ip berth internal \{ "br-0123456789ab" \}/);
  assert.doesNotMatch(text, /masq/);
  const rm = planRemoveNetwork(net);
  assert.equal(rm[0].kind === 'nft' && rm[0].ignoreMissing, true);
  assert.equal(rm[1].kind === 'ip' && renderIpBatch(rm[1].ops), 'link del dev br-0123456789ab\n');
});

test('connect: host batch (veth in its bridge, up, its peer into the netns as eth0) and netns batch', () => {
  const steps = planConnect(net, { netns: 'c1', hostVeth: 'veth1234567', ifname: 'eth0', ip: '172.18.0.2', prefix: 16, mac: '02:42:ac:12:00:02', gateway: '172.18.0.1' });
  assert.equal(steps.length, 2);
  assert.equal(steps[0].kind === 'ip' && renderIpBatch(steps[0].ops), [
    'link add name veth1234567 master br-0123456789ab up type veth peer name eth0 address 02:42:ac:12:00:02 netns c1', ''].join('\n'));
  assert.equal(steps[1].kind === 'ip' && steps[1].netns, 'c1');
  assert.equal(steps[1].kind === 'ip' && renderIpBatch(steps[1].ops), [
    'link set dev lo up', 'addr add 172.18.0.2/16 dev eth0', 'link set dev eth0 up', 'route add default via 172.18.0.1 dev eth0', ''].join('\n'));
  const noRoute = planConnect(net, { netns: 'c1', hostVeth: 'v', ifname: 'eth1', ip: '172.18.0.2', prefix: 16 });
  assert.doesNotMatch(noRoute[1].kind === 'ip' ? renderIpBatch(noRoute[1].ops) : '', /route/);
  assert.deepEqual(planDisconnect({ netns: 'c1', hostVeth: 'veth1234567', ifname: 'eth0', ip: '', prefix: 16 }),
    [{ kind: 'ip', ops: [{ op: 'link-del', dev: 'veth1234567' }], ignoreMissing: true }]);
});

test('plumb: several endpoints of one container in two processes; none, no step', () => {
  const other = { ...net, bridge: 'br-other', mtu: 1400 };
  const steps = planPlumb([
    { n: net, e: { netns: '/proc/42/ns/net', hostVeth: 'va', ifname: 'eth0', ip: '172.18.0.2', prefix: 16, gateway: '172.18.0.1' } },
    { n: other, e: { netns: '/proc/42/ns/net', hostVeth: 'vb', ifname: 'eth1', ip: '10.1.0.2', prefix: 24 } },
  ]);
  assert.equal(steps.length, 2);
  assert.equal(steps[0].kind === 'ip' && renderIpBatch(steps[0].ops), [
    'link add name va master br-0123456789ab up type veth peer name eth0 netns /proc/42/ns/net',
    'link add name vb mtu 1400 master br-other up type veth peer name eth1 mtu 1400 netns /proc/42/ns/net', ''].join('\n'));
  assert.equal(steps[1].kind === 'ip' && renderIpBatch(steps[1].ops), [
    'link set dev lo up', 'addr add 172.18.0.2/16 dev eth0', 'link set dev eth0 up', 'route add default via 172.18.0.1 dev eth0',
    'addr add 10.1.0.2/24 dev eth1', 'link set dev eth1 up', ''].join('\n'));
  assert.deepEqual(planPlumb([]), []);
});

test('publish: maps by protocol and address; loopback left to the proxy', () => {
  const ports = [
    { hostIp: '', hostPort: 8080, proto: 'tcp' as const, containerIp: '172.18.0.2', containerPort: 80 },
    { hostIp: '', hostPort: 8081, proto: 'tcp' as const, containerIp: '172.18.0.2', containerPort: 81 },
    { hostIp: '10.0.0.5', hostPort: 53, proto: 'udp' as const, containerIp: '172.18.0.2', containerPort: 53 },
    { hostIp: '127.0.0.1', hostPort: 9000, proto: 'tcp' as const, containerIp: '172.18.0.2', containerPort: 90 },
  ];
  const [step] = planPublish(ports);
  assert.equal(step.kind === 'nft' && renderNft(step.ops, 't'), [
    'add element ip t pub_tcp_any { 8080 : 172.18.0.2 . 80, 8081 : 172.18.0.2 . 81 }',
    'add element ip t pub_udp { 10.0.0.5 . 53 : 172.18.0.2 . 53 }', ''].join('\n'));
  const [un] = planUnpublish(ports);
  assert.equal(un.kind === 'nft' && renderNft(un.ops, 't'), 'delete element ip t pub_tcp_any { 8080, 8081 }\ndelete element ip t pub_udp { 10.0.0.5 . 53 }\n');
  assert.deepEqual(planPublish([ports[3]]), []);
});

test('names and the table', () => {
  assert.equal(bridgeName('0123456789abcdef'), 'br-0123456789ab');
  assert.equal(vethName('veth', 'abcdef0123'), 'vethabcdef0123');
  assert.equal(vethName('bt-xyz-', 'abcdef0123456'), 'bt-xyz-abcdef01');
  const t = tableScript('berth');
  assert.match(t, /^add table ip berth\ndelete table ip berth\ntable ip berth \{/);
  assert.doesNotMatch(t, /flush|table inet|table ip (?!berth)/);
});

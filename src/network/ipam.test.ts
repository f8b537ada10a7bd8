import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocate, createIpam, pickSubnet, release, DEFAULT_POOLS } from './ipam.ts';
import { formatCidr, macFor, overlaps, parseCidr, parseIp } from './ipv4.ts';

test('cidr math', () => {
  assert.equal(formatCidr(parseCidr('10.1.2.3/16')), '10.1.0.0/16');
  assert.throws(() => parseCidr('10.1.2.3/16', true), /it should be 10.1.0.0\/16/);
  assert.throws(() => parseCidr('10.1.2/16'), /invalid CIDR address/);
  assert.ok(overlaps(parseCidr('10.0.0.0/8'), parseCidr('10.2.0.0/16')));
  assert.ok(!overlaps(parseCidr('10.0.0.0/16'), parseCidr('10.1.0.0/16')));
  assert.equal(macFor(parseIp('172.17.0.2')), '02:42:ac:11:00:02');
});

test('pickSubnet: Docker default pools, skipping used subnets and host routes', () => {
  assert.equal(pickSubnet(DEFAULT_POOLS, [], []), '172.17.0.0/16');
  assert.equal(pickSubnet(DEFAULT_POOLS, ['172.17.0.0/16'], []), '172.18.0.0/16');
  assert.equal(pickSubnet(DEFAULT_POOLS, ['172.17.0.0/16'], ['172.18.5.0/24', '0.0.0.0/0']), '172.19.0.0/16');
  assert.equal(pickSubnet(DEFAULT_POOLS, [], ['172.16.0.0/12']), '192.168.0.0/20');
  assert.equal(pickSubnet(DEFAULT_POOLS, ['192.168.0.0/20'], ['172.16.0.0/12']), '192.168.16.0/20');
  assert.throws(() => pickSubnet(DEFAULT_POOLS, [], ['172.16.0.0/12', '192.168.0.0/16']), /could not find an available, non-overlapping IPv4 address pool/);
});

test('createIpam: given subnet, gateway, ip-range and Docker errors', () => {
  const s = createIpam({ subnet: '10.5.0.0/24', gateway: '10.5.0.254', ipRange: '10.5.0.128/25' }, [], []);
  assert.deepEqual({ ...s }, { subnet: '10.5.0.0/24', gateway: '10.5.0.254', ipRange: '10.5.0.128/25', static: true, allocated: [] });
  assert.throws(() => createIpam({ subnet: '10.5.0.0/24' }, ['10.0.0.0/8'], []), /^BerthError: Pool overlaps with other one on this address space$/);
  assert.throws(() => createIpam({ subnet: '10.5.0.0/24', gateway: '10.6.0.1' }, [], []), /invalid gateway 10.6.0.1: parent subnet 10.5.0.0\/24 doesn't contain this address/);
  assert.throws(() => createIpam({ subnet: '10.5.0.0/24', ipRange: '10.6.0.0/25' }, [], []), /invalid ip-range/);
  assert.throws(() => createIpam({ gateway: '10.6.0.1' }, [], []), /gateway specified without a subnet/);
  const d = createIpam({}, ['172.17.0.0/16'], []);
  assert.equal(d.subnet, '172.18.0.0/16');
  assert.equal(d.gateway, '172.18.0.1');
  assert.equal(d.static, false);
});

test('allocate: sequential after the gateway, no immediate reuse, --ip checks', () => {
  let s = createIpam({ subnet: '10.9.0.0/29' }, [], []);
  const got: string[] = [];
  for (let i = 0; i < 5; i++) { const r = allocate(s); s = r.state; got.push(r.ip); }
  assert.deepEqual(got, ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
  assert.throws(() => allocate(s, undefined, 'n1 (abc)'), /no available IPv4 addresses on this network's address pools: n1 \(abc\)/);
  s = release(s, '10.9.0.3');
  assert.equal(allocate(s).ip, '10.9.0.3');
  assert.throws(() => allocate(s, '10.9.0.4'), /Address already in use/);
  assert.throws(() => allocate(s, '10.9.1.4'), /no configured subnet or ip-range contain the IP address 10.9.1.4/);
  const dyn = createIpam({}, [], []);
  assert.throws(() => allocate(dyn, '172.17.0.9'), /user specified IP address is supported only when connecting to networks with user configured subnets/);
  const r = createIpam({ subnet: '10.7.0.0/16', ipRange: '10.7.5.0/24' }, [], []);
  assert.equal(allocate(r).ip, '10.7.5.0');
  assert.equal(allocate(r, '10.7.9.9').ip, '10.7.9.9');
});

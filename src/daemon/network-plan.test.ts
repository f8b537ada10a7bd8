import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialSettings, portRequests, portsMap, portSummary, requestsFromPorts, extraHosts, type NetInfo } from './network-plan.ts';

const nets: Record<string, NetInfo> = {
  bridge: { Id: 'b'.repeat(64), Name: 'bridge', Driver: 'bridge', subnet: '172.17.0.0/16', userSubnet: false },
  app: { Id: 'a'.repeat(64), Name: 'app', Driver: 'bridge', subnet: '10.1.0.0/24', userSubnet: true },
  host: { Id: 'h'.repeat(64), Name: 'host', Driver: 'host', userSubnet: false },
};
const find = (ref: string) => { const n = nets[ref]; if (!n) throw new Error(`network ${ref} not found`); return n; };

test('initialSettings: the CLI\'s "default" is the bridge; aliases and --ip follow Docker\'s rules', () => {
  const s = initialSettings({ NetworkMode: 'default' }, { EndpointsConfig: { default: {} } }, find);
  assert.deepEqual(Object.keys(s.Networks), ['bridge']);
  assert.throws(() => initialSettings({ NetworkMode: 'bridge' }, { EndpointsConfig: { bridge: { Aliases: ['x'] } } }, find), /network-scoped alias is supported only/);
  assert.throws(() => initialSettings({ NetworkMode: 'app' }, { EndpointsConfig: { app: { IPAMConfig: { IPv4Address: '10.2.0.5' } } } }, find), /no configured subnet or ip-range contain the IP address 10.2.0.5/);
  const ok = initialSettings({ NetworkMode: 'app' }, { EndpointsConfig: { app: { Aliases: ['db'], IPAMConfig: { IPv4Address: '10.1.0.5' } } } }, find);
  assert.deepEqual(ok.Networks.app.Aliases, ['db']);
  assert.equal(ok.Networks.app.NetworkID, nets.app.Id);
  assert.deepEqual(Object.keys(initialSettings({ NetworkMode: 'host' }, undefined, find).Networks), ['host']);
});

test('portRequests: bindings as given, ranges, -P for exposed ports without a binding', () => {
  const reqs = portRequests({ PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5300-5310' }] }, PublishAllPorts: true },
    { ExposedPorts: { '80/tcp': {}, '53/udp': {}, '9000/tcp': {} } });
  assert.deepEqual(reqs, [
    { hostIp: '', hostPortStart: 8080, hostPortEnd: 8080, containerPort: 80, proto: 'tcp' },
    { hostIp: '127.0.0.1', hostPortStart: 5300, hostPortEnd: 5310, containerPort: 53, proto: 'udp' },
    { hostIp: '', hostPortStart: 0, hostPortEnd: 0, containerPort: 9000, proto: 'tcp' },
  ]);
});

test('portsMap, portSummary and requestsFromPorts agree', () => {
  const m = portsMap({ ExposedPorts: { '80/tcp': {}, '81/tcp': {} } }, [{ hostIp: '', hostPort: 32768, containerPort: 80, proto: 'tcp' }]);
  assert.deepEqual(m, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '32768' }], '81/tcp': null });
  assert.deepEqual(portSummary(m), [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 32768, Type: 'tcp' }, { PrivatePort: 81, Type: 'tcp' }]);
  assert.deepEqual(requestsFromPorts(m), [{ hostIp: '', hostPortStart: 32768, hostPortEnd: 32768, containerPort: 80, proto: 'tcp' }]);
});

test('extraHosts: host-gateway is the default bridge gateway', () => {
  assert.deepEqual(extraHosts(['gw:host-gateway', 'a=1.2.3.4'], '172.17.0.1'), ['gw:172.17.0.1', 'a=1.2.3.4']);
});

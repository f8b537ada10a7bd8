import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePortSpec, publishAll, portKey } from './ports.ts';

test('parsePortSpec: forms', () => {
  assert.deepEqual(parsePortSpec('8080:80'), [{ hostIp: '', hostPortStart: 8080, hostPortEnd: 8080, containerPort: 80, proto: 'tcp' }]);
  assert.deepEqual(parsePortSpec('127.0.0.1:53:53/udp'), [{ hostIp: '127.0.0.1', hostPortStart: 53, hostPortEnd: 53, containerPort: 53, proto: 'udp' }]);
  assert.deepEqual(parsePortSpec('80'), [{ hostIp: '', hostPortStart: 0, hostPortEnd: 0, containerPort: 80, proto: 'tcp' }]);
  assert.deepEqual(parsePortSpec('0.0.0.0::80')[0].hostIp, '');
  assert.deepEqual(parsePortSpec('127.0.0.1::80')[0], { hostIp: '127.0.0.1', hostPortStart: 0, hostPortEnd: 0, containerPort: 80, proto: 'tcp' });
  assert.deepEqual(parsePortSpec('8000-8010:80')[0], { hostIp: '', hostPortStart: 8000, hostPortEnd: 8010, containerPort: 80, proto: 'tcp' });
  const r = parsePortSpec('9000-9999:9000-9999/udp');
  assert.equal(r.length, 1000);
  assert.deepEqual(r[999], { hostIp: '', hostPortStart: 9999, hostPortEnd: 9999, containerPort: 9999, proto: 'udp' });
  assert.equal(parsePortSpec('80-82').length, 3);
  assert.equal(portKey(r[0]), '9000/udp');
  assert.deepEqual(publishAll(['80/tcp', '53/udp']).map((p) => `${p.containerPort}/${p.proto}:${p.hostPortStart}`), ['80/tcp:0', '53/udp:0']);
});

test('parsePortSpec: Docker errors', () => {
  assert.throws(() => parsePortSpec('8080:http'), /invalid containerPort: http/);
  assert.throws(() => parsePortSpec('99999:80'), /invalid hostPort: 99999/);
  assert.throws(() => parsePortSpec('1.2.3:80:80'), /Invalid ip address: 1.2.3/);
  assert.throws(() => parsePortSpec('80/sctpx'), /invalid proto: sctpx/);
  assert.throws(() => parsePortSpec('8000-8001:80-82'), /Invalid ranges specified for container and host Ports: 80-82 and 8000-8001/);
  assert.throws(() => parsePortSpec('8080:'), /No port specified/);
});

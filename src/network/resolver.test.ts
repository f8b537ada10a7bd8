import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planResolver, resolverScript } from './resolver.ts';

test('127.0.0.11: UDP and TCP DNAT to the server, masquerade on the way out, loopback guarded from outside', () => {
  const s = resolverScript('172.18.0.1');
  assert.match(s, /^add table ip berth_resolver\ndelete table ip berth_resolver\ntable ip berth_resolver \{/);
  assert.match(s, /ip daddr 127\.0\.0\.11 udp dport 53 dnat to 172\.18\.0\.1:53/);
  assert.match(s, /ip daddr 127\.0\.0\.11 tcp dport 53 dnat to 172\.18\.0\.1:53/);
  assert.match(s, /oifname != "lo" ip saddr 127\.0\.0\.0\/8 ip daddr 172\.18\.0\.1 masquerade/);
  assert.match(s, /hook prerouting priority raw;[^}]*iifname != "lo" ip daddr 127\.0\.0\.0\/8 drop/);
  assert.match(resolverScript('10.0.0.1', 5353), /dnat to 10\.0\.0\.1:5353/);
  assert.deepEqual(planResolver('/proc/7/ns/net', '10.0.0.1'), { kind: 'resolver', netns: '/proc/7/ns/net', script: resolverScript('10.0.0.1') });
});

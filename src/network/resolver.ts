// @pure
// Docker's embedded DNS address, 127.0.0.11, in a container's own netns. berth's DNS servers
// listen on the networks' gateways in the host's netns (dns.ts); inside the container a small
// nft table (berth_resolver, not berth's host table) sends 127.0.0.11:53, UDP and TCP, to one of
// them, from the container's address on the way out (masquerade), which the server needs to
// know who asks. Loopback-sourced packets may only leave through eth* with route_localnet on
// (net.ipv4.conf.all, in that netns only); as that would also let packets for 127.0.0.0/8 in
// from the network, those are dropped before anything else sees them.
import type { NetnsRef, Step } from './plan.ts';

export const RESOLVER_ADDRESS = '127.0.0.11';
export const RESOLVER_TABLE = 'berth_resolver';

/** The table, replacing any earlier one (a connect or disconnect may change the target). */
export function resolverScript(target: string, port = 53): string {
  return `add table ip ${RESOLVER_TABLE}
delete table ip ${RESOLVER_TABLE}
table ip ${RESOLVER_TABLE} {
  chain guard {
    type filter hook prerouting priority raw; policy accept;
    iifname != "lo" ip daddr 127.0.0.0/8 drop
  }
  chain output {
    type nat hook output priority -100; policy accept;
    ip daddr ${RESOLVER_ADDRESS} udp dport 53 dnat to ${target}:${port}
    ip daddr ${RESOLVER_ADDRESS} tcp dport 53 dnat to ${target}:${port}
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname != "lo" ip saddr 127.0.0.0/8 ip daddr ${target} masquerade
  }
}
`;
}

export function planResolver(netns: NetnsRef, target: string, port?: number): Step {
  return { kind: 'resolver', netns, script: resolverScript(target, port) };
}

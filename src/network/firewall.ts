// @pure
// berth's nftables table: fixed chains over named sets and maps. Networks and published ports
// are elements, so every change is `add element` / `delete element` in this table only; other
// tables (the host's firewall, Docker's) are never read, flushed or reordered.
//
//   bridges      berth bridge devices               internal  bridges of --internal networks
//   same         bridge . bridge (intra-network)     subnets   every berth subnet
//   masq         subnets to masquerade (not --internal)
//   pub_P        hostIp . hostPort → containerIp . containerPort  (P = tcp | udp)
//   pub_P_any    hostPort → containerIp . containerPort            (published on 0.0.0.0)
import type { NftOp } from './plan.ts';

export const DEFAULT_TABLE = 'berth';

const maps = ['tcp', 'udp'].map((p) => `
  map pub_${p} { type ipv4_addr . inet_service : ipv4_addr . inet_service; }
  map pub_${p}_any { type inet_service : ipv4_addr . inet_service; }`).join('');

/** Replaces the table with an empty one (daemon start; then networks are re-added). */
export function tableScript(table: string = DEFAULT_TABLE): string {
  return `add table ip ${table}
delete table ip ${table}
table ip ${table} {
  set bridges { type ifname; }
  set internal { type ifname; }
  set same { type ifname . ifname; }
  set subnets { type ipv4_addr; flags interval; }
  set masq { type ipv4_addr; flags interval; }${maps}
  chain publish {
    meta l4proto tcp dnat ip to ip daddr . tcp dport map @pub_tcp
    meta l4proto tcp dnat ip to tcp dport map @pub_tcp_any
    meta l4proto udp dnat ip to ip daddr . udp dport map @pub_udp
    meta l4proto udp dnat ip to udp dport map @pub_udp_any
  }
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    fib daddr type local jump publish
  }
  chain output {
    type nat hook output priority -100; policy accept;
    ip daddr != 127.0.0.0/8 fib daddr type local jump publish
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr @masq oifname != @bridges masquerade
    ct status dnat ip saddr @subnets oifname @bridges masquerade
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname . oifname @same accept
    iifname @internal drop
    oifname @internal drop
    iifname @bridges oifname @bridges drop
  }
}
`;
}

export function deleteTableScript(table: string = DEFAULT_TABLE): string {
  return `add table ip ${table}\ndelete table ip ${table}\n`;
}

export function renderNft(ops: readonly NftOp[], table: string = DEFAULT_TABLE): string {
  return ops.map((o) => `${o.op === 'add-element' ? 'add' : 'delete'} element ip ${table} ${o.set} { ${o.elements.join(', ')} }\n`).join('');
}

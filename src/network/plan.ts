// @pure
// Network set-up as typed data: link/address/route ops (run as one `ip -batch` per namespace),
// nftables element changes (one `nft -f -` per change, only in berth's own table) and sysctls.
// The firewall is a fixed table of sets and maps (see firewall.ts); a network, a connection
// or a published port only adds or deletes elements, so no rule handle is ever tracked.
import type { Proto } from './ports.ts';

/** A network namespace: a name under /run/netns, or an absolute path such as /proc/PID/ns/net. */
export type NetnsRef = string;

export type LinkOp =
  | { op: 'bridge-add'; name: string; mtu?: number }
  /** The host end `name` (into `master`, up when `up`), the peer `peer` straight into `peerNetns`. */
  | { op: 'veth-add'; name: string; peer: string; peerNetns: NetnsRef; peerMac?: string; mtu?: number; master?: string; up?: boolean }
  | { op: 'set-master'; dev: string; master: string }
  | { op: 'up'; dev: string }
  | { op: 'addr-add'; dev: string; cidr: string }
  | { op: 'route-default'; via: string; dev: string }
  | { op: 'link-del'; dev: string };

export type FirewallSet =
  | 'bridges' | 'internal' | 'same' | 'subnets' | 'masq'
  | 'pub_tcp' | 'pub_udp' | 'pub_tcp_any' | 'pub_udp_any';

export type NftOp =
  | { op: 'add-element' | 'delete-element'; set: FirewallSet; elements: string[] };

export type Step =
  /** One `ip -batch -` (in `netns` when given, else the host). `ignoreMissing`: teardown. */
  | { kind: 'ip'; netns?: NetnsRef; ops: LinkOp[]; ignoreMissing?: boolean }
  | { kind: 'nft'; ops: NftOp[]; ignoreMissing?: boolean }
  | { kind: 'sysctl'; key: string; value: string }
  /** Docker's 127.0.0.11 in a container's netns (resolver.ts): route_localnet on, then one `nft -f -` there. */
  | { kind: 'resolver'; netns: NetnsRef; script: string };

export interface BridgeSpec {
  bridge: string;
  subnet: string; // 172.18.0.0/16
  gateway: string;
  internal: boolean;
  mtu?: number;
}

export interface EndpointSpec {
  netns: NetnsRef;
  hostVeth: string;
  ifname: string; // eth0
  ip: string;
  prefix: number;
  mac?: string;
  /** Add the default route via the network's gateway (first non-internal network). */
  gateway?: string;
}

export interface PublishedPort {
  hostIp: string; // '' = every address
  hostPort: number;
  proto: Proto;
  containerIp: string;
  containerPort: number;
}

export interface PlanOptions {
  /** Turn on net.ipv4.ip_forward, as Docker does, when a network needs outbound traffic. */
  ipForward: boolean;
}

const q = (s: string) => JSON.stringify(s);


function networkElements(n: BridgeSpec, op: 'add-element' | 'delete-element'): NftOp[] {
  const ops: NftOp[] = [
    { op, set: 'bridges', elements: [q(n.bridge)] },
    { op, set: 'same', elements: [`${q(n.bridge)} . ${q(n.bridge)}`] },
    { op, set: 'subnets', elements: [n.subnet] },
  ];
  ops.push(n.internal ? { op, set: 'internal', elements: [q(n.bridge)] } : { op, set: 'masq', elements: [n.subnet] });
  return ops;
}

export function planCreateNetwork(n: BridgeSpec, o: PlanOptions): Step[] {
  const prefix = n.subnet.split('/')[1];
  const steps: Step[] = [
    { kind: 'ip', ops: [
      { op: 'bridge-add', name: n.bridge, mtu: n.mtu },
      { op: 'addr-add', dev: n.bridge, cidr: `${n.gateway}/${prefix}` },
      { op: 'up', dev: n.bridge },
    ] },
    { kind: 'nft', ops: networkElements(n, 'add-element') },
  ];
  if (o.ipForward && !n.internal) steps.push({ kind: 'sysctl', key: 'net.ipv4.ip_forward', value: '1' });
  return steps;
}

export function planRemoveNetwork(n: BridgeSpec): Step[] {
  return [
    { kind: 'nft', ops: networkElements(n, 'delete-element'), ignoreMissing: true },
    { kind: 'ip', ops: [{ op: 'link-del', dev: n.bridge }], ignoreMissing: true },
  ];
}

/**
 * Plumbs endpoints into their namespaces with two `ip -batch` processes, whatever their number:
 * one on the host (each veth made in its bridge and up, its peer created in the container's
 * netns) and one per container netns (addresses, links up, the default route).
 */
export function planPlumb(list: readonly { n: BridgeSpec; e: EndpointSpec }[]): Step[] {
  const host: LinkOp[] = [];
  const inside = new Map<NetnsRef, LinkOp[]>();
  for (const { n, e } of list) {
    host.push({ op: 'veth-add', name: e.hostVeth, peer: e.ifname, peerNetns: e.netns, peerMac: e.mac, mtu: n.mtu, master: n.bridge, up: true });
    const ops = inside.get(e.netns) ?? [{ op: 'up', dev: 'lo' }];
    ops.push({ op: 'addr-add', dev: e.ifname, cidr: `${e.ip}/${e.prefix}` }, { op: 'up', dev: e.ifname });
    if (e.gateway) ops.push({ op: 'route-default', via: e.gateway, dev: e.ifname });
    inside.set(e.netns, ops);
  }
  if (!host.length) return [];
  return [{ kind: 'ip', ops: host }, ...[...inside].map(([netns, ops]): Step => ({ kind: 'ip', netns, ops }))];
}

export function planConnect(n: BridgeSpec, e: EndpointSpec): Step[] {
  return planPlumb([{ n, e }]);
}

/** Deleting the host end removes the pair; gone already when the netns went away. */
export function planDisconnect(e: EndpointSpec): Step[] {
  return [{ kind: 'ip', ops: [{ op: 'link-del', dev: e.hostVeth }], ignoreMissing: true }];
}

function portElements(ports: readonly PublishedPort[], op: 'add-element' | 'delete-element'): NftOp[] {
  const bySet = new Map<FirewallSet, string[]>();
  for (const p of ports) {
    if (p.hostIp.startsWith('127.')) continue; // loopback: served by the userland proxy only
    const set: FirewallSet = `pub_${p.proto}${p.hostIp ? '' : '_any'}`;
    const key = p.hostIp ? `${p.hostIp} . ${p.hostPort}` : `${p.hostPort}`;
    const list = bySet.get(set) ?? [];
    list.push(op === 'add-element' ? `${key} : ${p.containerIp} . ${p.containerPort}` : key);
    bySet.set(set, list);
  }
  return [...bySet].map(([set, elements]) => ({ op, set, elements }));
}

export function planPublish(ports: readonly PublishedPort[]): Step[] {
  const ops = portElements(ports, 'add-element');
  return ops.length ? [{ kind: 'nft', ops }] : [];
}

export function planUnpublish(ports: readonly PublishedPort[]): Step[] {
  const ops = portElements(ports, 'delete-element');
  return ops.length ? [{ kind: 'nft', ops, ignoreMissing: true }] : [];
}

/** Host-side veth name: Docker's `veth` + 7 hex characters (≤ 15 characters in all). */
export function vethName(prefix: string, hex: string): string {
  return (prefix + hex).slice(0, 15);
}

/** Docker's bridge names: `br-` + the first 12 characters of the network id. */
export function bridgeName(networkId: string): string {
  return `br-${networkId.slice(0, 12)}`;
}

// @pure
// IPAM: choosing a subnet for a new network and handing out addresses inside it, with Docker's
// defaults and error texts. State is plain data (`IpamState`) so the network store can persist it.
import { conflict, invalidArgument, unavailable } from '../errors/errors.ts';
import { type Cidr, contains, formatCidr, formatIp, last, overlaps, parseCidr, parseIp, within } from './ipv4.ts';

export interface AddressPool { base: string; size: number }

/** Docker's default-address-pools: 172.17–31.0.0/16, then 192.168.0.0/16 cut in /20s. */
export const DEFAULT_POOLS: readonly AddressPool[] = [
  { base: '172.17.0.0/16', size: 16 },
  { base: '172.18.0.0/15', size: 16 },
  { base: '172.20.0.0/14', size: 16 },
  { base: '172.24.0.0/14', size: 16 },
  { base: '172.28.0.0/14', size: 16 },
  { base: '192.168.0.0/16', size: 20 },
];

/** Candidate subnets of the pools, in order. */
export function* candidates(pools: readonly AddressPool[]): Generator<Cidr> {
  for (const p of pools) {
    const base = parseCidr(p.base);
    if (p.size < base.prefix || p.size > 30) throw invalidArgument(`invalid address pool ${p.base} size ${p.size}`);
    const step = 2 ** (32 - p.size);
    for (let n = base.base; n <= last(base); n += step) yield { base: n, prefix: p.size };
  }
}

/**
 * First pool subnet overlapping neither another network's subnet (`inUse`) nor a host route
 * (`hostRoutes`: destinations from the routing table; default routes are ignored).
 */
export function pickSubnet(pools: readonly AddressPool[], inUse: readonly string[], hostRoutes: readonly string[]): string {
  const taken = [...inUse, ...hostRoutes].map((s) => parseCidr(s)).filter((c) => c.prefix > 0);
  for (const c of candidates(pools)) {
    if (!taken.some((t) => overlaps(t, c))) return formatCidr(c);
  }
  throw unavailable('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
}

export interface IpamRequest {
  subnet?: string;
  gateway?: string;
  ipRange?: string;
}

/** The persisted IPAM state of one network. */
export interface IpamState {
  subnet: string;
  gateway: string;
  /** Dynamic allocations come from here (the subnet unless --ip-range). */
  ipRange: string;
  /** The subnet was given by the user (only then may containers ask for --ip). */
  static: boolean;
  /** Allocated container addresses (not the gateway). */
  allocated: string[];
  /** Last dynamically allocated address, so addresses are not reused at once (as Docker). */
  lastAllocated?: string;
}

/** Validates a network's IPAM request and returns its initial state. */
export function createIpam(req: IpamRequest, inUse: readonly string[], hostRoutes: readonly string[], pools: readonly AddressPool[] = DEFAULT_POOLS): IpamState {
  if (!req.subnet && (req.gateway || req.ipRange)) {
    throw invalidArgument(req.gateway ? 'invalid network config: gateway specified without a subnet' : 'invalid network config: ip-range specified without a subnet');
  }
  let subnet: Cidr;
  if (req.subnet) {
    subnet = parseCidr(req.subnet, true);
    if (subnet.prefix > 30) throw invalidArgument(`invalid subnet ${req.subnet}: too small for a network`);
    if (inUse.some((u) => overlaps(parseCidr(u), subnet))) throw conflict('Pool overlaps with other one on this address space');
  } else {
    subnet = parseCidr(pickSubnet(pools, inUse, hostRoutes));
  }
  const range = req.ipRange ? parseCidr(req.ipRange, true) : subnet;
  if (req.ipRange && !within(range, subnet)) {
    throw invalidArgument(`invalid ip-range ${req.ipRange}: parent subnet ${formatCidr(subnet)} doesn't contain ip-range`);
  }
  let gw: number;
  if (req.gateway) {
    gw = parseIp(req.gateway);
    if (!contains(subnet, gw)) throw invalidArgument(`invalid gateway ${req.gateway}: parent subnet ${formatCidr(subnet)} doesn't contain this address`);
  } else {
    gw = subnet.base + 1;
  }
  return { subnet: formatCidr(subnet), gateway: formatIp(gw), ipRange: formatCidr(range), static: !!req.subnet, allocated: [] };
}

/** Prefix length of the network, for `addr add IP/prefix`. */
export function prefixOf(s: IpamState): number {
  return parseCidr(s.subnet).prefix;
}

/**
 * Allocates an address: `requested` (--ip) or the next free one of the ip-range after the last
 * allocation. Returns the new state and the address; never mutates `s`.
 */
export function allocate(s: IpamState, requested?: string, label?: string): { state: IpamState; ip: string } {
  const subnet = parseCidr(s.subnet);
  const used = new Set(s.allocated.map(parseIp));
  used.add(parseIp(s.gateway));
  if (requested) {
    if (!s.static) throw invalidArgument('user specified IP address is supported only when connecting to networks with user configured subnets');
    const ip = parseIp(requested);
    if (!contains(subnet, ip) || ip === subnet.base || ip === last(subnet)) {
      throw invalidArgument(`no configured subnet or ip-range contain the IP address ${requested}`);
    }
    if (used.has(ip)) throw conflict('Address already in use');
    return { state: { ...s, allocated: [...s.allocated, requested] }, ip: requested };
  }
  const range = parseCidr(s.ipRange);
  const lo = Math.max(range.base, subnet.base + 1);
  const hi = Math.min(last(range), last(subnet) - 1);
  const count = hi - lo + 1;
  const after = s.lastAllocated ? parseIp(s.lastAllocated) : lo - 1;
  for (let i = 1; i <= count; i++) {
    const ip = lo + ((after - lo + i) % count + count) % count;
    if (!used.has(ip)) {
      const str = formatIp(ip);
      return { state: { ...s, allocated: [...s.allocated, str], lastAllocated: str }, ip: str };
    }
  }
  throw unavailable(`no available IPv4 addresses on this network's address pools${label ? `: ${label}` : ''}`);
}

export function release(s: IpamState, ip: string): IpamState {
  return { ...s, allocated: s.allocated.filter((a) => a !== ip) };
}

// @pure
// `berth network create` flags → the NetworkCreate body, as the docker CLI's
// cli/command/network/create.go builds it: labels and options as maps, and IPAM pools made from
// --subnet with the --ip-range, --gateway and --aux-address that fall inside each one.
import { invalidArgument } from '../../../errors/errors.ts';
import { keyValues } from '../../key-values.ts';


interface Cidr { base: bigint; bits: number; v6: boolean }

function ipValue(ip: string): { v: bigint; v6: boolean } | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) {
    const p = ip.split('.').map(Number);
    if (p.some((x) => x > 255)) return undefined;
    return { v: BigInt(((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3]), v6: false };
  }
  if (!ip.includes(':')) return undefined;
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [], t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return { v: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n), v6: true };
}

function cidr(s: string): Cidr {
  const [ip, len] = s.split('/');
  const v = ipValue(ip);
  const bits = Number(len);
  if (!v || len === undefined || !/^\d+$/.test(len) || bits > (v.v6 ? 128 : 32)) throw invalidArgument(`invalid CIDR address: ${s}`);
  return { base: v.v, bits, v6: v.v6 };
}

function contains(net: Cidr, ip: bigint, v6: boolean): boolean {
  if (net.v6 !== v6) return false;
  const width = net.v6 ? 128 : 32;
  const shift = BigInt(width - net.bits);
  return ip >> shift === net.base >> shift;
}

export interface IpamFlags { subnets: string[]; ipRanges: string[]; gateways: string[]; auxAddresses: string[] }

/** Docker's consolidateIpam: one pool per subnet, each range/gateway/aux address in exactly one. */
export function ipamConfig(f: IpamFlags): Record<string, unknown>[] {
  if (f.subnets.length < f.ipRanges.length || f.subnets.length < f.gateways.length) {
    throw invalidArgument('every ip-range or gateway must have a corresponding subnet');
  }
  const pools = f.subnets.map((s) => ({ net: cidr(s), cfg: { Subnet: s } as Record<string, unknown> }));
  for (let i = 0; i < pools.length; i++) {
    for (let j = i + 1; j < pools.length; j++) {
      const a = pools[i].net, b = pools[j].net;
      if (contains(a, b.base, b.v6) || contains(b, a.base, a.v6)) throw invalidArgument(`multiple overlapping subnet configuration is not supported`);
    }
  }
  const place = (value: string, what: string, net: (v: string) => { v: bigint; v6: boolean }, set: (cfg: Record<string, unknown>) => void) => {
    const { v, v6 } = net(value);
    const hit = pools.filter((p) => contains(p.net, v, v6));
    if (hit.length !== 1) throw invalidArgument(`no matching subnet for ${what} ${value}`);
    set(hit[0].cfg);
  };
  for (const r of f.ipRanges) {
    place(r, 'range', (v) => { const c = cidr(v); return { v: c.base, v6: c.v6 }; }, (cfg) => {
      if (cfg.IPRange) throw invalidArgument(`cannot configure multiple ranges (${r}, ${String(cfg.IPRange)}) on the same subnet (${String(cfg.Subnet)})`);
      cfg.IPRange = r;
    });
  }
  const addr = (v: string) => {
    const x = ipValue(v);
    if (!x) throw invalidArgument(`invalid IP address: ${v}`);
    return x;
  };
  for (const g of f.gateways) {
    place(g, 'gateway', addr, (cfg) => {
      if (cfg.Gateway) throw invalidArgument(`cannot configure multiple gateways (${g}, ${String(cfg.Gateway)}) for the same subnet (${String(cfg.Subnet)})`);
      cfg.Gateway = g;
    });
  }
  for (const [k, v] of Object.entries(keyValues(f.auxAddresses))) {
    place(v, 'aux-address', addr, (cfg) => { cfg.AuxiliaryAddresses = { ...(cfg.AuxiliaryAddresses as object), [k]: v }; });
  }
  return pools.map((p) => p.cfg);
}

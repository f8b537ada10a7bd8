// @pure
// Decisions of the network attachment, as Docker makes them: the network mode, the initial
// NetworkSettings of a new container (with Docker's refusals), the ports to publish from
// PortBindings and -P, the NetworkSettings.Ports map, and ps's Ports summary.
import { invalidArgument } from '../errors/errors.ts';
import { contains, parseCidr, parseIp, isIp } from '../network/ipv4.ts';
import type { PortBinding, PortRequest, Proto } from '../network/ports.ts';
import type { HostConfig, ContainerConfig } from '../container/docker-types.ts';
import { emptyEndpoint, type EndpointSettings, type NetworkingConfig, type NetworkSettings, type PortMapEntry } from '../container/network-settings.ts';

export type NetMode = { kind: 'host' } | { kind: 'none' } | { kind: 'container'; ref: string } | { kind: 'network'; name: string };

export function netMode(h: HostConfig): NetMode {
  const m = h.NetworkMode || 'default';
  if (m === 'host') return { kind: 'host' };
  if (m === 'none') return { kind: 'none' };
  if (m.startsWith('container:')) return { kind: 'container', ref: m.slice('container:'.length) };
  return { kind: 'network', name: m === 'default' ? 'bridge' : m };
}

/** What prepareCreate needs to know of a network. */
export interface NetInfo { Id: string; Name: string; Driver: string; subnet?: string; ipRange?: string; userSubnet: boolean }

/** Endpoint config checks of Docker's daemon (validateEndpointSettings and the default bridge's limits). */
export function checkEndpoint(net: NetInfo, ep: EndpointSettings): void {
  const ip = ep.IPAMConfig?.IPv4Address;
  if (net.Name === 'bridge') {
    if (ep.Aliases?.length) throw invalidArgument('network-scoped alias is supported only for containers in user defined networks');
    if (ip) throw invalidArgument('user specified IP address is supported on user defined networks only');
  }
  if (!ip) return;
  if (!isIp(ip)) throw invalidArgument(`invalid IPv4 address: ${ip}`);
  if (!net.userSubnet) throw invalidArgument('user specified IP address is supported only when connecting to networks with user configured subnets');
  if (net.subnet && !contains(parseCidr(net.subnet), parseIp(ip))) throw invalidArgument(`no configured subnet or ip-range contain the IP address ${ip}`);
}

/**
 * The NetworkSettings of a new container: one endpoint for the mode's network plus any other
 * NetworkingConfig entries. `find` resolves a network reference (throws NotFound).
 */
export function initialSettings(h: HostConfig, nc: NetworkingConfig | undefined, find: (ref: string) => NetInfo): NetworkSettings {
  const mode = netMode(h);
  const networks: Record<string, EndpointSettings> = {};
  // The docker CLI names the default network "default" (NetworkMode and EndpointsConfig alike).
  const eps: Record<string, EndpointSettings | null> = {};
  for (const [k, v] of Object.entries(nc?.EndpointsConfig ?? {})) eps[k === 'default' ? 'bridge' : k] = v;
  if (mode.kind === 'container') {
    if (Object.keys(eps).length) throw invalidArgument('conflicting options: networking config and container network mode');
  } else {
    const first = mode.kind === 'network' ? mode.name : mode.kind;
    const net = find(first);
    const cfg = eps[first] ?? eps[net.Id] ?? eps[net.Name] ?? {};
    if (mode.kind !== 'network') { delete eps[first]; delete eps[net.Name]; }
    if (mode.kind !== 'network' && (cfg.Aliases?.length || cfg.IPAMConfig?.IPv4Address)) throw invalidArgument(`network-scoped alias or IP address is not supported on network ${first}`);
    checkEndpoint(net, cfg);
    networks[net.Name] = emptyEndpoint({ ...cfg, NetworkID: net.Id });
    for (const [ref, c] of Object.entries(eps)) {
      const other = find(ref);
      if (other.Id === net.Id) continue;
      if (mode.kind !== 'network' || other.Driver !== 'bridge') throw invalidArgument('Container cannot be connected to network endpoints');
      checkEndpoint(other, c ?? {});
      networks[other.Name] = emptyEndpoint({ ...(c ?? {}), NetworkID: other.Id });
    }
  }
  return { Networks: networks, Ports: {}, SandboxKey: '' };
}

const protoOf = (s: string | undefined): Proto => (s === 'udp' ? 'udp' : 'tcp');

/** Ports to publish: PortBindings as given (ranges "8000-8010"), then -P's exposed ports on random host ports. */
export function portRequests(h: HostConfig, c: ContainerConfig): PortRequest[] {
  const out: PortRequest[] = [];
  const bound = h.PortBindings ?? {};
  for (const [key, list] of Object.entries(bound)) {
    const [port, proto] = key.split('/');
    for (const b of list?.length ? list : [{ HostIp: '', HostPort: '' }]) {
      const hostIp = b.HostIp === '0.0.0.0' ? '' : (b.HostIp ?? '');
      if (hostIp.includes(':')) continue; // IPv6 host addresses: not supported
      const [a, z] = (b.HostPort ?? '').split('-');
      const start = a ? Number(a) : 0;
      const end = z ? Number(z) : start;
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > 65535 || end < start) throw invalidArgument(`invalid hostPort: ${b.HostPort}`);
      out.push({ hostIp, hostPortStart: start, hostPortEnd: end, containerPort: Number(port), proto: protoOf(proto) });
    }
  }
  if (h.PublishAllPorts) {
    for (const key of Object.keys(c.ExposedPorts ?? {})) {
      if (key in bound) continue;
      const [port, proto] = key.split('/');
      out.push({ hostIp: '', hostPortStart: 0, hostPortEnd: 0, containerPort: Number(port), proto: protoOf(proto) });
    }
  }
  return out;
}

/** Published ports kept in NetworkSettings.Ports, back as requests for the same host ports (daemon restart). */
export function requestsFromPorts(ports: NetworkSettings['Ports']): PortRequest[] {
  const out: PortRequest[] = [];
  for (const [key, list] of Object.entries(ports)) {
    const [port, proto] = key.split('/');
    for (const b of list ?? []) {
      const p = Number(b.HostPort);
      out.push({ hostIp: b.HostIp === '0.0.0.0' ? '' : b.HostIp, hostPortStart: p, hostPortEnd: p, containerPort: Number(port), proto: protoOf(proto) });
    }
  }
  return out;
}

/** NetworkSettings.Ports: every exposed port (null when unpublished) and the bindings made. */
export function portsMap(c: ContainerConfig, bindings: readonly PortBinding[]): Record<string, PortMapEntry[] | null> {
  const m: Record<string, PortMapEntry[] | null> = {};
  for (const key of Object.keys(c.ExposedPorts ?? {})) m[key.includes('/') ? key : `${key}/tcp`] = null;
  for (const b of bindings) {
    const key = `${b.containerPort}/${b.proto}`;
    (m[key] ??= []).push({ HostIp: b.hostIp || '0.0.0.0', HostPort: String(b.hostPort) });
  }
  return m;
}

/** ps's Ports: one entry per binding, and exposed ports without one. */
export function portSummary(ports: NetworkSettings['Ports'] | undefined): { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] {
  const out: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] = [];
  for (const [key, list] of Object.entries(ports ?? {})) {
    const [port, proto] = key.split('/');
    if (!list?.length) out.push({ PrivatePort: Number(port), Type: proto ?? 'tcp' });
    else for (const b of list) out.push({ IP: b.HostIp, PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: proto ?? 'tcp' });
  }
  return out;
}

/** --add-host's `host-gateway` stands for the default bridge's gateway. */
export function extraHosts(list: readonly string[] | null | undefined, hostGateway: string | undefined): string[] {
  return (list ?? []).map((e) => (hostGateway ? e.replace(/([:=])host-gateway$/, `$1${hostGateway}`) : e));
}

/** inspect's NetworkSettings: the endpoints; the top-level address fields from the default bridge's endpoint. */
export function networkSettingsView(s: NetworkSettings | undefined, running: boolean): Record<string, unknown> {
  const b = s?.Networks.bridge;
  return {
    Bridge: '', SandboxID: s?.SandboxKey ? s.SandboxKey.split('/').pop() : '', SandboxKey: s?.SandboxKey ?? '', Ports: running ? (s?.Ports ?? {}) : {},
    HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0, SecondaryIPAddresses: null, SecondaryIPv6Addresses: null,
    EndpointID: b?.EndpointID ?? '', Gateway: b?.Gateway ?? '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0,
    IPAddress: b?.IPAddress ?? '', IPPrefixLen: b?.IPPrefixLen ?? 0, IPv6Gateway: '', MacAddress: b?.MacAddress ?? '',
    Networks: s?.Networks ?? {},
  };
}

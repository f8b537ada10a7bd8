// The bridge driver: networks, endpoints, published ports and embedded DNS, over the pure
// IPAM/plan modules and an applier. Holds its state in memory; `snapshot()` gives the caller
// what to persist.
import { randomBytes } from '../sys/random.ts';
import { conflict, notFound, wrap } from '../errors/errors.ts';
import { allocate, createIpam, prefixOf, release, DEFAULT_POOLS, type AddressPool, type IpamState } from './ipam.ts';
import { macFor, parseIp } from './ipv4.ts';
import { bridgeName, planConnect, planCreateNetwork, planPlumb, planDisconnect, planPublish, planRemoveNetwork, planUnpublish, vethName, type BridgeSpec, type EndpointSpec, type NetnsRef, type PublishedPort } from './plan.ts';
import { IP_BATCH, type NetApplier, type NetnsSession } from './apply.ts';
import { renderIpBatch } from './ip-batch.ts';
import { PortProxy } from './proxy.ts';
import type { EmbeddedDns } from './dns.ts';
import type { PortBinding, PortRequest } from './ports.ts';

export interface NetworkConfig {
  id: string;
  name: string;
  /** Device name; default `br-<id[:12]>`. */
  bridge?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  internal?: boolean;
  /** Run the embedded DNS server (user-defined networks; not the default bridge). */
  dns?: boolean;
  mtu?: number;
}

export interface NetworkState {
  id: string;
  name: string;
  bridge: string;
  internal: boolean;
  dns: boolean;
  mtu?: number;
  ipam: IpamState;
}

export interface ConnectRequest {
  containerId: string;
  /** Names answered by the embedded DNS: container name, aliases, short id. */
  names?: string[];
  /** Plumbed at once into this netns; absent: reserved only (address, DNS names), plumbed by plumb(). */
  netns?: NetnsRef;
  /** --ip */
  ip?: string;
  ifname?: string;
  /** Default route via this network's gateway; default: not --internal. */
  defaultRoute?: boolean;
  /** The container's --dns servers, for names the embedded DNS forwards. */
  dnsServers?: string[];
}

export interface Endpoint {
  networkId: string;
  containerId: string;
  names: string[];
  /** '' until plumbed. */
  netns: NetnsRef;
  hostVeth: string;
  ifname: string;
  ip: string;
  prefix: number;
  gateway: string;
  mac: string;
  /** Carries the container's default route. */
  defaultRoute: boolean;
  ports: PortBinding[];
}

export interface BridgeNetworksOptions {
  applier: NetApplier;
  proxy?: PortProxy;
  pools?: readonly AddressPool[];
  /** Set net.ipv4.ip_forward=1 for non-internal networks (Docker does). */
  ipForward?: boolean;
  /** Host-side veth prefix; default `veth`. */
  vethPrefix?: string;
  /** Resolvers the embedded DNS forwards to (files.ts upstreamServers). */
  upstreams?: readonly string[];
  dnsPort?: number;
  /** Port of the upstream resolvers (tests); default 53. */
  upstreamPort?: number;
}

const spec = (n: NetworkState): BridgeSpec => ({ bridge: n.bridge, subnet: n.ipam.subnet, gateway: n.ipam.gateway, internal: n.internal, mtu: n.mtu });
const epSpec = (e: Endpoint, withRoute = e.defaultRoute): EndpointSpec => ({ netns: e.netns, hostVeth: e.hostVeth, ifname: e.ifname, ip: e.ip, prefix: e.prefix, mac: e.mac, gateway: withRoute ? e.gateway : undefined });
const published = (e: Endpoint, ports: readonly PortBinding[]): PublishedPort[] => ports.map((p) => ({ ...p, containerIp: e.ip }));

export class BridgeNetworks {
  readonly #o: BridgeNetworksOptions;
  readonly proxy: PortProxy;
  readonly #nets = new Map<string, NetworkState>();
  readonly #eps = new Map<string, Endpoint>();
  readonly #dns = new Map<string, EmbeddedDns>();
  /** Host `ip` processes started ahead of a container's plumbing (prepare), by container id. */
  readonly #prepared = new Map<string, { host: NetnsSession; inside: NetnsSession }>();

  constructor(o: BridgeNetworksOptions) {
    this.#o = o;
    this.proxy = o.proxy ?? new PortProxy();
  }

  /** Daemon start: berth's nftables table, empty. */
  async init(): Promise<void> { await this.#o.applier.resetFirewall(); }

  networks(): NetworkState[] { return [...this.#nets.values()]; }
  endpoints(networkId?: string): Endpoint[] { return [...this.#eps.values()].filter((e) => !networkId || e.networkId === networkId); }

  #net(id: string): NetworkState {
    const n = this.#nets.get(id);
    if (!n) throw notFound(`network ${id} not found`);
    return n;
  }

  async #newDns(n: NetworkState): Promise<EmbeddedDns> {
    const { EmbeddedDns } = await import('./dns.ts'); // with the first user network, not at start-up
    return new EmbeddedDns({
      address: n.ipam.gateway, port: this.#o.dnsPort, subnet: n.ipam.subnet, upstreams: this.#o.upstreams ?? [], upstreamPort: this.#o.upstreamPort,
      resolve: (from, name) => this.#resolve(n.id, from, name),
    });
  }

  /**
   * A name as the container at `from` on network `networkId` sees it: as Docker's resolver, the
   * names of every user network the container is on — its own network first, then the others
   * in the order they were connected. Any other client: the network's own names.
   */
  #resolve(networkId: string, from: string, name: string): string[] | undefined {
    const own = this.#dns.get(networkId);
    const client = this.endpoints(networkId).find((e) => e.ip === from);
    if (!client) return own?.lookup(name);
    const order = [networkId, ...this.endpoints().filter((e) => e.containerId === client.containerId && e.networkId !== networkId).map((e) => e.networkId)];
    for (const id of order) {
      const found = this.#dns.get(id)?.lookup(name);
      if (found) return found;
    }
    return undefined;
  }

  async create(cfg: NetworkConfig): Promise<NetworkState> {
    const inUse = this.networks().map((n) => n.ipam.subnet);
    const routes = cfg.subnet ? [] : await this.#o.applier.hostRoutes();
    const ipam = createIpam({ subnet: cfg.subnet, gateway: cfg.gateway, ipRange: cfg.ipRange }, inUse, routes, this.#o.pools ?? DEFAULT_POOLS);
    const n: NetworkState = { id: cfg.id, name: cfg.name, bridge: cfg.bridge ?? bridgeName(cfg.id), internal: !!cfg.internal, dns: !!cfg.dns, mtu: cfg.mtu, ipam };
    try {
      await this.#o.applier.apply(planCreateNetwork(spec(n), { ipForward: this.#o.ipForward ?? true }));
      if (n.dns) {
        const dns = await this.#newDns(n);
        await dns.start();
        this.#dns.set(n.id, dns);
      }
    } catch (e) {
      await this.#o.applier.apply(planRemoveNetwork(spec(n))).catch(() => undefined);
      throw wrap(`create network ${cfg.name}`, e);
    }
    this.#nets.set(n.id, n);
    return n;
  }

  /**
   * Daemon restart, after init(): takes back networks whose bridges still exist (recreating any
   * that do not) and puts their firewall elements back. IPAM state is kept; endpoints of live
   * containers are not re-adopted yet (their veths survive; published ports need publish()).
   */
  async restore(states: readonly NetworkState[]): Promise<void> {
    for (const n of states) {
      const steps = planCreateNetwork(spec(n), { ipForward: this.#o.ipForward ?? true });
      const exists = await this.#o.applier.linkExists(n.bridge);
      await this.#o.applier.apply(exists ? steps.filter((st) => st.kind !== 'ip') : steps);
      this.#nets.set(n.id, { ...n });
      if (n.dns) {
        const dns = await this.#newDns(n);
        await dns.start();
        this.#dns.set(n.id, dns);
      }
    }
  }

  async remove(id: string): Promise<void> {
    const n = this.#net(id);
    if (this.endpoints(id).length) throw conflict(`error while removing network: network ${n.name} id ${n.id} has active endpoints`);
    await this.#dns.get(id)?.close();
    this.#dns.delete(id);
    await this.#o.applier.apply(planRemoveNetwork(spec(n)));
    this.#nets.delete(id);
  }

  async connect(networkId: string, r: ConnectRequest): Promise<Endpoint> {
    const n = this.#net(networkId);
    const key = `${networkId}/${r.containerId}`;
    if (this.#eps.has(key)) throw conflict(`endpoint with name ${r.names?.[0] ?? r.containerId} already exists in network ${n.name}`);
    const { state, ip } = allocate(n.ipam, r.ip, `${n.name} (${n.id.slice(0, 12)})`);
    const e: Endpoint = {
      networkId, containerId: r.containerId, names: r.names ?? [], netns: r.netns ?? '',
      hostVeth: vethName(this.#o.vethPrefix ?? 'veth', randomBytes(6).toString('hex')),
      ifname: r.ifname ?? 'eth0', ip, prefix: prefixOf(n.ipam), gateway: n.ipam.gateway, mac: macFor(parseIp(ip)),
      defaultRoute: r.defaultRoute ?? !n.internal, ports: [],
    };
    if (r.netns) {
      try {
        await this.#o.applier.apply(planConnect(spec(n), epSpec(e)));
      } catch (err) {
        await this.#o.applier.apply(planDisconnect(epSpec(e, false))).catch(() => undefined);
        throw wrap(`connect ${r.containerId} to network ${n.name}`, err);
      }
    }
    n.ipam = state;
    this.#eps.set(key, e);
    const dns = this.#dns.get(networkId);
    for (const name of e.names) dns?.add(name, ip);
    dns?.setClientUpstreams(ip, r.dnsServers);
    return e;
  }

  /**
   * Starts the processes of the container's plumbing while its netns is yet to be made: `ip` on
   * the host and one waiting to enter the netns, so that at plumb() none is still to start.
   */
  prepare(containerId: string): void {
    if (this.#prepared.has(containerId) || !this.endpoints().some((e) => e.containerId === containerId && !e.netns)) return;
    const a = this.#o.applier;
    const host = a.startInNetns(IP_BATCH);
    host.enter(a.hostNetnsPath);
    this.#prepared.set(containerId, { host, inside: a.startInNetns(IP_BATCH) });
  }

  /**
   * Plumbs the container's reserved endpoints into `netns` (e.g. /proc/PID/ns/net of a container
   * being created): veths made by the host process with their peers straight in the netns; then
   * addresses and routes by the one inside it (prepare's processes, else new ones), which may
   * finish later: resolves, once the interfaces exist, to that second half. On failure the host
   * ends are deleted (when made); the caller disconnects the endpoints.
   */
  async plumb(containerId: string, netns: NetnsRef): Promise<{ configured: Promise<void> }> {
    const prep = this.#prepared.get(containerId);
    this.#prepared.delete(containerId);
    const eps = this.endpoints().filter((e) => e.containerId === containerId && !e.netns);
    for (const e of eps) e.netns = netns;
    const [host, inside] = planPlumb(eps.map((e) => ({ n: spec(this.#net(e.networkId)), e: epSpec(e) })));
    const failed = async (err: unknown): Promise<never> => {
      const del = eps.map((e) => ({ op: 'link-del' as const, dev: e.hostVeth }));
      await this.#o.applier.apply([{ kind: 'ip', ops: del, ignoreMissing: true }]).catch(() => undefined);
      throw wrap(`connect ${containerId} to its networks`, err);
    };
    const done = { configured: Promise.resolve() };
    if (!prep) {
      await this.#o.applier.apply([host, inside].filter((x) => !!x)).catch(failed);
      return done;
    }
    if (host?.kind !== 'ip' || inside?.kind !== 'ip') {
      await Promise.all([prep.host.cancel(), prep.inside.cancel()]);
      return done;
    }
    prep.inside.enter(netns);
    try {
      await prep.host.finish(renderIpBatch(host.ops));
    } catch (err) {
      await prep.inside.cancel();
      return failed(err);
    }
    const configured = prep.inside.finish(renderIpBatch(inside.ops)).catch(failed);
    configured.catch(() => undefined); // the caller awaits it (or the container never starts)
    return { configured };
  }

  /**
   * Removes the endpoint: its published ports, DNS names, address and veth pair. `netnsGone`:
   * the container's netns has died (or is about to) and takes the pair with it, so no process
   * is started for it; the host end's name is returned for a later check.
   */
  async disconnect(networkId: string, containerId: string, o: { netnsGone?: boolean } = {}): Promise<string | undefined> {
    const key = `${networkId}/${containerId}`;
    const e = this.#eps.get(key);
    if (!e) throw notFound(`container ${containerId} is not connected to network ${networkId}`);
    await this.unpublish(networkId, containerId);
    const dns = this.#dns.get(networkId);
    for (const name of e.names) dns?.remove(name, e.ip);
    dns?.setClientUpstreams(e.ip, undefined);
    const prep = this.#prepared.get(containerId);
    if (prep) {
      this.#prepared.delete(containerId);
      await Promise.all([prep.host.cancel(), prep.inside.cancel()]);
    }
    if (e.netns && !o.netnsGone) await this.#o.applier.apply(planDisconnect(epSpec(e, false)));
    const n = this.#net(networkId);
    n.ipam = release(n.ipam, e.ip);
    this.#eps.delete(key);
    return e.netns ? e.hostVeth : undefined;
  }

  /** Deletes host veths that outlived their netns (one process, only when any is left). */
  async reap(hostVeths: readonly string[], exists: (dev: string) => boolean): Promise<void> {
    const left = hostVeths.filter(exists);
    if (left.length) await this.#o.applier.apply([{ kind: 'ip', ops: left.map((dev) => ({ op: 'link-del' as const, dev })), ignoreMissing: true }]);
  }

  /** Publishes ports of a connected container: proxy sockets first (they reserve host ports), then one nft change. */
  async publish(networkId: string, containerId: string, reqs: readonly PortRequest[]): Promise<PortBinding[]> {
    const e = this.#eps.get(`${networkId}/${containerId}`);
    if (!e) throw notFound(`container ${containerId} is not connected to network ${networkId}`);
    const bound: PortBinding[] = [];
    try {
      for (const r of reqs) {
        const t = { proto: r.proto, hostIp: r.hostIp, containerIp: e.ip, containerPort: r.containerPort };
        const hostPort = r.hostPortStart === r.hostPortEnd
          ? await this.proxy.add(t, r.hostPortStart)
          : await this.proxy.addInRange(t, r.hostPortStart, r.hostPortEnd);
        bound.push({ hostIp: r.hostIp, hostPort, containerPort: r.containerPort, proto: r.proto });
      }
      await this.#o.applier.apply(planPublish(published(e, bound)));
    } catch (err) {
      for (const b of bound) await this.proxy.remove(b.proto, b.hostIp, b.hostPort);
      throw err;
    }
    e.ports.push(...bound);
    return bound;
  }

  async unpublish(networkId: string, containerId: string): Promise<void> {
    const e = this.#eps.get(`${networkId}/${containerId}`);
    if (!e || !e.ports.length) return;
    const ports = e.ports;
    e.ports = [];
    await this.#o.applier.apply(planUnpublish(published(e, ports)));
    for (const p of ports) await this.proxy.remove(p.proto, p.hostIp, p.hostPort);
  }

  /** Daemon stop: every endpoint, network, listener and berth's nft table go. */
  async shutdown(): Promise<void> {
    for (const e of this.endpoints()) await this.disconnect(e.networkId, e.containerId).catch(() => undefined);
    for (const n of this.networks()) await this.remove(n.id).catch(() => undefined);
    await this.proxy.close();
    await this.#o.applier.deleteFirewall();
  }
}

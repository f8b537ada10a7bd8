// The container service's NetworkPort: a container's endpoints on bridge networks, its
// published ports and its /etc/hosts, /etc/hostname and /etc/resolv.conf (written in the
// container's directory and bind-mounted by the spec). The network namespace is the one the
// runtime makes for the container: setup() reserves addresses, DNS names and ports; at the
// runtime's "setup" sync point the veths go straight into /proc/PID/ns/net and the start of
// the container's process waits for their addresses and routes (two `ip` processes in all,
// both started before the netns exists; on user networks a third sets 127.0.0.11 up there). When the container exits its netns dies and takes the veth pairs along:
// teardown starts no process; a host end still there a while later (the netns was kept alive,
// e.g. by a container that joined it) is deleted then.
//
// berthd stop: with containers running, the kernel state stays (bridges, veths, DNAT elements),
// so published ports keep answering on the host's non-loopback addresses; the in-process
// userland proxy (127.0.0.1) and the embedded DNS stop with berthd. At the next start every
// running container is re-attached: its old interfaces are deleted and new ones made with the
// same addresses, and its ports are published again on the same host ports.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from '../sys/random.ts';
import { RESOLVER_CMD, type NetnsSession } from '../network/apply.ts';
import type { PortBinding } from '../network/ports.ts';
import { planResolver, resolverScript } from '../network/resolver.ts';
import { invalidArgument, isCode, permissionDenied, wrap } from '../errors/errors.ts';
import { KeyedLock } from '../container/service/exit-watch.ts';
import type { ContainerRecord } from '../container/model.ts';
import type { HostConfig } from '../container/docker-types.ts';
import type { NetworkPort, NetworkSetup } from '../container/service/ports.ts';
import { fileMounts, writeNetFiles } from './network-files.ts';
import { emptyEndpoint, type EndpointSettings, type NetworkingConfig, type NetworkSettings } from '../container/network-settings.ts';
import type { NetworkService } from './network-service.ts';
import type { NetworkRecord } from './network-store.ts';
import { checkEndpoint, initialSettings, netMode, portRequests, portsMap, requestsFromPorts, type NetInfo } from './network-plan.ts';

const run = promisify(execFile);
/** When a host veth of an exited container is looked for (its netns's death removes it first). */
const REAP_AFTER_MS = 2000;

export interface AttachOptions {
  service: NetworkService;
  execRoot: string;
  /** The container's directory (hosts, hostname, resolv.conf are written there). */
  containerDir: (id: string) => string;
  /** A container by reference (container:<ref> mode). */
  lookup: (ref: string) => ContainerRecord;
  /** daemon.json dns, dns-search, dns-opts. */
  dns?: { servers?: string[]; search?: string[]; options?: string[] };
  warn?: (msg: string) => void;
}

export class NetworkAttach implements NetworkPort {
  readonly #o: AttachOptions;
  /** Operations on one network run one at a time (IPAM state is read, then written). */
  readonly #lock = new KeyedLock();
  /** Where 127.0.0.11 leads in each running container's netns (the gateway of a user network). */
  readonly #resolverTarget = new Map<string, string>();
  /** The process that sets 127.0.0.11 up in a starting container's netns, started before the netns is made. */
  readonly #pendingResolver = new Map<string, { target: string; session: NetnsSession }>();
  /** What #join began and the container's start waits for (beforeStart). */
  readonly #ready = new Map<string, Promise<void>>();

  constructor(o: AttachOptions) { this.#o = o; }

  get service(): NetworkService { return this.#o.service; }

  /** Where berth before 2026-11 kept a container's netns (bind-mounted file); still honoured for containers it started. */
  legacyNetnsPath(id: string): string { return join(this.#o.execRoot, 'netns', id.slice(0, 12)); }

  /** The running container's netns. */
  #netns(rec: ContainerRecord): string | undefined {
    const legacy = this.legacyNetnsPath(rec.ID);
    if (existsSync(legacy)) return legacy;
    return rec.State.Pid > 0 && existsSync(`/proc/${rec.State.Pid}/ns/net`) ? `/proc/${rec.State.Pid}/ns/net` : undefined;
  }

  #info(ref: string): NetInfo {
    const r = this.service.get(ref);
    const s = this.service.state(r.Id);
    return { Id: r.Id, Name: r.Name, Driver: r.Driver, subnet: s?.ipam.subnet, ipRange: s?.ipam.ipRange, userSubnet: !!s?.ipam.static };
  }

  async init(): Promise<void> { await this.service.init(); }

  async prepareCreate(_id: string, hc: HostConfig, nc: NetworkingConfig | undefined): Promise<NetworkSettings> {
    const mode = netMode(hc);
    if (mode.kind === 'container') this.#o.lookup(mode.ref);
    if (mode.kind !== 'network' && (hc.PortBindings && Object.keys(hc.PortBindings).length || hc.PublishAllPorts)) {
      if (mode.kind === 'container') throw invalidArgument('conflicting options: port publishing and the container type network mode');
    }
    if (mode.kind === 'host' && hc.ExtraHosts === undefined) { /* nothing */ }
    try {
      return initialSettings(hc, nc, (ref) => this.#info(ref));
    } catch (e) {
      if (isCode(e, 'NotFound')) throw invalidArgument((e as Error).message);
      throw e;
    }
  }

  async #dropNetns(path: string): Promise<void> {
    await run('umount', [path]).catch(() => run('umount', ['-l', path]).catch(() => undefined));
    await rm(path, { force: true });
  }

  #endpoints(id: string) { return this.service.bridges.endpoints().filter((e) => e.containerId === id); }

  /** Connects one endpoint (under the network's lock) and fills `ep` in. */
  /** `netns` undefined: reserved only, plumbed at the runtime's setup sync point (#join). */
  async #connect(rec: ContainerRecord, net: NetworkRecord, ep: EndpointSettings, ifname: string, defaultRoute: boolean, netns: string | undefined, requestIp?: string): Promise<void> {
    const names = [rec.Name.slice(1), ...(ep.Aliases ?? []), rec.ID.slice(0, 12)];
    // The container asks one user network's DNS (resolv.conf), which answers with the names of
    // all the container's networks (bridge-networks.ts) and forwards the rest to its --dns.
    const dnsServers = rec.HostConfig.Dns?.length ? rec.HostConfig.Dns : undefined;
    await this.#lock.run(net.Id, async () => {
      const st = this.service.state(net.Id);
      if (!st) throw invalidArgument(`network ${net.Name} cannot be attached to`);
      const ip = requestIp ?? ep.IPAMConfig?.IPv4Address ?? undefined;
      const wasStatic = st.ipam.static;
      if (requestIp) st.ipam = { ...st.ipam, static: true }; // re-claiming an address after a daemon restart
      try {
        const e = await this.service.bridges.connect(net.Id, {
          containerId: rec.ID, names, netns, ip, ifname, defaultRoute, dnsServers,
        });
        Object.assign(ep, {
          NetworkID: net.Id, EndpointID: randomBytes(32).toString('hex'), Gateway: e.gateway, IPAddress: e.ip, IPPrefixLen: e.prefix,
          MacAddress: e.mac, DNSNames: st.dns ? names : null,
        });
      } finally {
        const now = this.service.state(net.Id);
        if (now && requestIp) now.ipam = { ...now.ipam, static: wasStatic };
      }
    });
  }

  async #disconnect(rec: ContainerRecord, networkId: string, netnsGone = false): Promise<string | undefined> {
    return this.#lock.run(networkId, () => this.service.bridges.disconnect(networkId, rec.ID, { netnsGone }))
      .catch((e) => { this.#o.warn?.(`disconnect ${rec.ID.slice(0, 12)}: ${(e as Error).message}`); return undefined; });
  }

  /** The container's connected user networks (embedded DNS), in the order they were connected. */
  #dnsNetworks(rec: ContainerRecord): NetworkRecord[] {
    const on = new Set(this.#endpoints(rec.ID).map((e) => e.networkId));
    return Object.keys(rec.NetworkSettings?.Networks ?? {}).map((n) => this.service.byName(n))
      .filter((r): r is NetworkRecord => !!r && on.has(r.Id) && !!this.service.state(r.Id)?.dns);
  }

  /** The network that carries the default route and the published ports: the first non-internal one. */
  #gatewayNet(settings: NetworkSettings): NetworkRecord | undefined {
    for (const name of Object.keys(settings.Networks)) {
      const r = this.service.byName(name);
      if (r?.Driver === 'bridge' && !r.Internal) return r;
    }
    return undefined;
  }

  async setup(rec: ContainerRecord): Promise<NetworkSetup> {
    const mode = netMode(rec.HostConfig);
    const settings = rec.NetworkSettings ??= { Networks: {}, Ports: {}, SandboxKey: '' };
    if (mode.kind === 'container') {
      const other = this.#o.lookup(mode.ref);
      if (!other.State.Running) throw invalidArgument(`cannot join network namespace of a non running container: container ${other.ID} is exited`);
      rec.HostsPath = other.HostsPath; rec.ResolvConfPath = other.ResolvConfPath; rec.HostnamePath = other.HostnamePath;
      return { files: fileMounts(rec) };
    }
    if (mode.kind === 'host') {
      await this.#writeFiles(rec, []);
      settings.SandboxKey = '';
      return { files: fileMounts(rec) };
    }
    if (mode.kind === 'none') {
      // Its own netns with lo up, as Docker's sandbox: the runtime makes it (and brings lo up)
      // with the container, so no netns file, no extra processes.
      await this.#writeFiles(rec, []);
      settings.SandboxKey = '';
      return { files: fileMounts(rec) };
    }
    try {
      const gw = this.#gatewayNet(settings);
      let i = 0;
      for (const [name, ep] of Object.entries(settings.Networks)) {
        const net = this.service.get(ep.NetworkID || name);
        await this.#connect(rec, net, ep, `eth${i++}`, net.Id === gw?.Id, undefined);
      }
      let bound: PortBinding[] = [];
      const reqs = portRequests(rec.HostConfig, rec.Config);
      if (gw && reqs.length) bound = await this.service.bridges.publish(gw.Id, rec.ID, reqs);
      settings.Ports = portsMap(rec.Config, bound);
      this.service.bridges.prepare(rec.ID);
      const target = this.#dnsTarget(rec);
      if (target) this.#pendingResolver.set(rec.ID, { target, session: this.service.applier.startInNetns(RESOLVER_CMD, 'resolver') });
      await this.#writeFiles(rec, this.#endpoints(rec.ID).map((e) => e.ip));
    } catch (err) {
      await this.teardown(rec);
      throw err;
    }
    return { files: fileMounts(rec), onSetup: (pid) => this.#join(rec, pid), beforeStart: () => this.#beforeStart(rec) };
  }

  /** At the runtime's setup sync point: the reserved endpoints into the new container's netns, 127.0.0.11 there. */
  async #join(rec: ContainerRecord, pid: number): Promise<void> {
    const netns = `/proc/${pid}/ns/net`;
    const resolver = this.#pendingResolver.get(rec.ID);
    this.#pendingResolver.delete(rec.ID);
    resolver?.session.enter(netns);
    const resolved = resolver?.session.finish(resolverScript(resolver.target));
    resolved?.catch(() => undefined); // awaited by beforeStart
    // Not awaited here: the runtime's set-up goes on (mounts, pivot_root...) while the veths move
    // in; all of it is awaited by beforeStart, before the container's process runs. (Awaiting the
    // veths at the sync point held every bridge start ~2.5 ms.)
    const configured = this.service.bridges.plumb(rec.ID, netns).then((p) => p.configured);
    const ready = Promise.all([configured, resolved]).then(() => undefined);
    ready.catch(() => undefined);
    this.#ready.set(rec.ID, ready);
    if (resolver) this.#resolverTarget.set(rec.ID, resolver.target);
    if (rec.NetworkSettings) rec.NetworkSettings.SandboxKey = netns;
  }

  /** Addresses, routes and 127.0.0.11, begun at the sync point, done before the container's process runs. */
  async #beforeStart(rec: ContainerRecord): Promise<void> {
    const ready = this.#ready.get(rec.ID);
    this.#ready.delete(rec.ID);
    await ready;
  }

  /** The embedded DNS server 127.0.0.11 stands for: the newest connected user network's. */
  #dnsTarget(rec: ContainerRecord): string | undefined {
    const last = this.#dnsNetworks(rec).pop();
    return last ? this.service.state(last.Id)?.ipam.gateway : undefined;
  }

  /** After a connect or disconnect of a running container: 127.0.0.11 to a network it is still on. */
  async #updateResolver(rec: ContainerRecord): Promise<void> {
    const target = this.#dnsTarget(rec);
    const netns = this.#netns(rec);
    if (!target || !netns || this.#resolverTarget.get(rec.ID) === target) return;
    await this.service.applier.apply([planResolver(netns, target)]);
    this.#resolverTarget.set(rec.ID, target);
  }

  async #writeFiles(rec: ContainerRecord, ips: string[]): Promise<void> {
    await writeNetFiles(rec, {
      dir: this.#o.containerDir(rec.ID), ips, embedded: !!this.#dnsTarget(rec), daemonDns: this.#o.dns,
      hostGateway: this.service.state(this.service.byName('bridge')?.Id ?? '')?.ipam.gateway,
    });
  }

  async teardown(rec: ContainerRecord): Promise<void> {
    // The container's process is gone (exit, failed start): its netns goes with its veths.
    this.#resolverTarget.delete(rec.ID);
    await this.#ready.get(rec.ID)?.catch(() => undefined);
    this.#ready.delete(rec.ID);
    const resolver = this.#pendingResolver.get(rec.ID);
    this.#pendingResolver.delete(rec.ID);
    await resolver?.session.cancel();
    const legacy = this.legacyNetnsPath(rec.ID);
    const hasLegacy = existsSync(legacy);
    const left: string[] = [];
    for (const e of this.#endpoints(rec.ID)) {
      const veth = await this.#disconnect(rec, e.networkId, !hasLegacy);
      if (veth) left.push(veth);
    }
    if (hasLegacy) await this.#dropNetns(legacy).catch((e) => this.#o.warn?.(`netns ${legacy}: ${(e as Error).message}`));
    if (left.length) {
      setTimeout(() => {
        void this.service.bridges.reap(left, (dev) => existsSync(`/sys/class/net/${dev}`)).catch((e) => this.#o.warn?.(`reap ${left.join(' ')}: ${(e as Error).message}`));
      }, REAP_AFTER_MS).unref();
    }
    const s = rec.NetworkSettings;
    if (!s) return;
    for (const [name, ep] of Object.entries(s.Networks)) s.Networks[name] = emptyEndpoint({ ...ep, NetworkID: ep.NetworkID });
    s.Ports = {};
    s.SandboxKey = '';
  }

  async reattach(rec: ContainerRecord): Promise<void> {
    const s = rec.NetworkSettings;
    if (netMode(rec.HostConfig).kind !== 'network' || !s) return;
    const path = this.#netns(rec);
    if (!path) return;
    const { stdout } = await run('nsenter', [`--net=${path}`, 'ip', '-o', 'link', 'show']);
    const old = stdout.split('\n').map((l) => l.split(': ')[1]?.split('@')[0]).filter((n): n is string => !!n && n !== 'lo');
    if (old.length) await this.service.applier.apply([{ kind: 'ip', netns: path, ops: old.map((dev) => ({ op: 'link-del' as const, dev })), ignoreMissing: true }]);
    const gw = this.#gatewayNet(s);
    let i = 0;
    for (const [name, ep] of Object.entries(s.Networks)) {
      const net = this.service.records.get(ep.NetworkID ?? '') ?? this.service.byName(name);
      if (!net || !ep.IPAddress) continue;
      await this.#connect(rec, net, ep, `eth${i++}`, net.Id === gw?.Id, path, ep.IPAddress);
    }
    s.SandboxKey = path;
    const target = this.#dnsTarget(rec);
    if (target) this.#resolverTarget.set(rec.ID, target); // the netns's table outlived berthd
    const reqs = requestsFromPorts(s.Ports);
    if (gw && reqs.length) await this.service.bridges.publish(gw.Id, rec.ID, reqs);
  }

  /** docker network connect: recorded; connected at once when the container runs. */
  async connect(rec: ContainerRecord, ref: string, cfg: EndpointSettings | null | undefined): Promise<void> {
    const net = this.service.get(ref);
    const mode = netMode(rec.HostConfig);
    if (mode.kind === 'host' || net.Driver === 'host') throw permissionDenied('container cannot be disconnected from host network or connected to host network');
    if (mode.kind === 'none' || net.Driver === 'null') throw permissionDenied('container cannot be connected to multiple networks with one of the networks in private (none) mode');
    if (mode.kind === 'container') throw permissionDenied('container sharing network namespace with another container or host cannot be connected to any other network');
    const s = rec.NetworkSettings ??= { Networks: {}, Ports: {}, SandboxKey: '' };
    if (s.Networks[net.Name]) throw permissionDenied(`endpoint with name ${rec.Name.slice(1)} already exists in network ${net.Name}`);
    const ep = emptyEndpoint({ ...(cfg ?? {}), NetworkID: net.Id });
    checkEndpoint(this.#info(net.Id), ep);
    if (rec.State.Running) {
      const used = new Set(this.#endpoints(rec.ID).map((e) => e.ifname));
      let n = 0;
      while (used.has(`eth${n}`)) n++;
      const hasGw = !!this.#gatewayNet(s) && this.#endpoints(rec.ID).length > 0;
      const netns = this.#netns(rec);
      if (!netns) throw invalidArgument(`container ${rec.ID} has no network namespace`);
      await this.#connect(rec, net, ep, `eth${n}`, !hasGw && !net.Internal, netns);
    }
    s.Networks[net.Name] = ep;
    if (rec.State.Running) await this.#afterChange(rec);
  }

  async disconnect(rec: ContainerRecord, ref: string, force: boolean): Promise<void> {
    const s = rec.NetworkSettings ??= { Networks: {}, Ports: {}, SandboxKey: '' };
    let net: NetworkRecord | undefined;
    try { net = this.service.get(ref); } catch (e) { if (!force) throw e; }
    const name = net?.Name ?? ref;
    if (net?.Driver === 'host') throw permissionDenied('container cannot be disconnected from host network or connected to host network');
    if (!s.Networks[name]) throw permissionDenied(`container ${rec.ID} is not connected to network ${name}`);
    if (net && this.#endpoints(rec.ID).some((e) => e.networkId === net.Id)) await this.#disconnect(rec, net.Id);
    delete s.Networks[name];
    if (rec.State.Running) await this.#afterChange(rec);
  }

  async #afterChange(rec: ContainerRecord): Promise<void> {
    await this.#updateResolver(rec).catch((e) => this.#o.warn?.(`127.0.0.11 in ${rec.ID.slice(0, 12)}: ${(e as Error).message}`));
    await this.#writeFiles(rec, this.#endpoints(rec.ID).map((e) => e.ip)).catch(() => undefined);
  }

  /** Running containers on a network: network inspect's Containers. */
  containersOn(networkId: string): { containerId: string; ip: string; prefix: number; mac: string }[] {
    return this.service.bridges.endpoints(networkId).map((e) => ({ containerId: e.containerId, ip: e.ip, prefix: e.prefix, mac: e.mac }));
  }
}

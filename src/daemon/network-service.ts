// berthd's networks: the records (network-store.ts) over the bridge driver of src/network/.
// `bridge` (the default bridge, device berth0), `host` and `none` always exist; user networks
// are bridge networks with their own device (br-<id12>) and embedded DNS. Daemon start resets
// berth's nft table and brings every bridge network back; daemon stop tears everything down
// when no container runs, else leaves the kernel state in place (see network-attach.ts).
import { randomBytes } from '../sys/random.ts';
import { readFileSync } from 'node:fs';
// The network modules one by one, not the index: the embedded DNS (and dns-packet) load with
// the first user network (bridge-networks.ts imports it lazily).
import { BridgeNetworks, type NetworkState } from '../network/bridge-networks.ts';
import { NetApplier, IP_BATCH, RESOLVER_CMD } from '../network/apply.ts';
import { PortProxy } from '../network/proxy.ts';
import { parseCidr, formatCidr } from '../network/ipv4.ts';
import { upstreamServers } from '../network/files.ts';
import type { AddressPool } from '../network/ipam.ts';
import { conflict, invalidArgument, notFound, permissionDenied } from '../errors/errors.ts';
import { NetworkStore, type NetworkRecord, type IpamConfigEntry } from './network-store.ts';
import { isoTime } from '../sys/iso-time.ts';

export interface NetworkServiceOptions {
  dataRoot: string;
  /** daemon.json directives: bip, default-address-pools, ip-forward, mtu, dns. */
  extra: Record<string, unknown>;
  /** BERTH_LINK_PREFIX (bridge and veth names) and BERTH_NFT_TABLE: test daemons keep to their own names. */
  env: NodeJS.ProcessEnv;
  warn?: (msg: string) => void;
}

/** The body of POST /networks/create. */
export interface NetworkCreateBody {
  Name?: string;
  Driver?: string;
  Internal?: boolean;
  Attachable?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Driver?: string; Config?: IpamConfigEntry[] | null; Options?: Record<string, string> | null } | null;
  Options?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
  CheckDuplicate?: boolean;
}

const PREDEFINED = ['bridge', 'host', 'none'];
const newId = () => randomBytes(32).toString('hex');
const now = () => isoTime();

function pools(extra: Record<string, unknown>): AddressPool[] | undefined {
  const p = extra['default-address-pools'];
  if (!Array.isArray(p) || !p.length) return undefined;
  return p.map((x: { base?: string; size?: number }) => ({ base: String(x.base), size: Number(x.size) }));
}

export class NetworkService {
  readonly store: NetworkStore;
  readonly applier: NetApplier;
  readonly bridges: BridgeNetworks;
  readonly records = new Map<string, NetworkRecord>();
  readonly linkPrefix: string;
  /** Where the embedded DNS servers forward names they do not know. */
  readonly upstreams: string[];
  readonly #o: NetworkServiceOptions;

  constructor(o: NetworkServiceOptions) {
    this.#o = o;
    this.store = new NetworkStore(o.dataRoot);
    this.linkPrefix = o.env.BERTH_LINK_PREFIX ?? '';
    this.applier = new NetApplier({ table: o.env.BERTH_NFT_TABLE || undefined, warm: true });
    const hostResolv = (() => { try { return readFileSync('/etc/resolv.conf', 'utf8'); } catch { return ''; } })();
    const dns = Array.isArray(o.extra.dns) ? (o.extra.dns as string[]) : undefined;
    this.upstreams = dns?.length ? dns : upstreamServers(hostResolv);
    this.bridges = new BridgeNetworks({
      applier: this.applier, proxy: new PortProxy(), pools: pools(o.extra),
      ipForward: o.extra['ip-forward'] !== false && o.env.BERTH_IP_FORWARD !== '0',
      vethPrefix: this.linkPrefix ? `${this.linkPrefix}v` : 'veth',
      upstreams: this.upstreams,
    });
  }

  get mtu(): number | undefined { return typeof this.#o.extra.mtu === 'number' ? this.#o.extra.mtu : undefined; }

  bridgeDevice(id: string, isDefault: boolean): string {
    if (!this.linkPrefix) return isDefault ? 'berth0' : `br-${id.slice(0, 12)}`;
    return isDefault ? `${this.linkPrefix}0` : `${this.linkPrefix}${id.slice(0, Math.max(4, 15 - this.linkPrefix.length))}`.slice(0, 15);
  }

  /** Daemon start: berth's table afresh, the stored networks back, the predefined ones made. */
  async init(): Promise<void> {
    await this.bridges.init();
    // A container's plumbing takes two of these, one more on user networks (network-attach.ts).
    // Three containers' worth: each is made again 50 ms after use, and `docker run`s back to
    // back come every ~50 ms (with one container's worth a start often forked its own, +5-8 ms).
    this.applier.warmUp(IP_BATCH, 6);
    this.applier.warmUp(RESOLVER_CMD, 2, 'resolver');
    const stored = await this.store.loadAll();
    for (const r of stored) this.records.set(r.Id, r);
    const states = stored.filter((r) => r.state).map((r) => r.state!);
    for (const s of states) {
      await this.bridges.restore([s]).catch((e) => this.#o.warn?.(`network ${s.name}: ${(e as Error).message}`));
    }
    if (!this.byName('bridge')) await this.#createDefaultBridge();
    for (const [name, driver] of [['host', 'host'], ['none', 'null']] as const) {
      if (!this.byName(name)) await this.#add(this.#record(newId(), name, driver, {}));
    }
  }

  #record(id: string, name: string, driver: NetworkRecord['Driver'], o: Partial<NetworkRecord>): NetworkRecord {
    return {
      Name: name, Id: id, Created: now(), Scope: 'local', Driver: driver, EnableIPv4: true, EnableIPv6: false,
      IPAM: { Driver: 'default', Options: null, Config: driver === 'bridge' ? [] : null }, Internal: false, Attachable: false,
      Ingress: false, ConfigFrom: { Network: '' }, ConfigOnly: false, Options: {}, Labels: {}, ...o,
    };
  }

  async #add(r: NetworkRecord): Promise<void> {
    await this.store.save(r);
    this.records.set(r.Id, r);
  }

  async #createDefaultBridge(): Promise<void> {
    const id = newId();
    const bip = typeof this.#o.extra.bip === 'string' ? this.#o.extra.bip : undefined;
    let subnet: string | undefined, gateway: string | undefined;
    if (bip) {
      gateway = bip.split('/')[0];
      subnet = formatCidr(parseCidr(bip));
    }
    const device = this.bridgeDevice(id, true);
    const state = await this.bridges.create({ id, name: 'bridge', bridge: device, subnet, gateway, dns: false, mtu: this.mtu });
    await this.#add(this.#record(id, 'bridge', 'bridge', {
      IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: state.ipam.subnet, Gateway: state.ipam.gateway }] },
      Options: {
        'com.docker.network.bridge.default_bridge': 'true', 'com.docker.network.bridge.enable_icc': 'true',
        'com.docker.network.bridge.enable_ip_masquerade': 'true', 'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
        'com.docker.network.bridge.name': device, 'com.docker.network.driver.mtu': String(this.mtu ?? 1500),
      },
      state,
    }));
  }

  byName(name: string): NetworkRecord | undefined {
    return [...this.records.values()].find((r) => r.Name === name);
  }

  /** Docker's lookup: full id, then name, then unique id prefix; NotFound "network x not found". */
  get(ref: string): NetworkRecord {
    const byId = this.records.get(ref);
    if (byId) return byId;
    const named = this.byName(ref);
    if (named) return named;
    const pre = ref.length ? [...this.records.values()].filter((r) => r.Id.startsWith(ref)) : [];
    if (pre.length === 1) return pre[0];
    if (pre.length > 1) throw invalidArgument(`network ${ref} is ambiguous (${pre.length} matches found based on ID prefix)`);
    throw notFound(`network ${ref} not found`);
  }

  state(id: string): NetworkState | undefined {
    return this.bridges.networks().find((n) => n.id === id);
  }

  async create(body: NetworkCreateBody): Promise<{ Id: string; Warning: string }> {
    const name = body.Name ?? '';
    if (!name) throw invalidArgument('network name cannot be empty');
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw invalidArgument(`invalid network name "${name}"`);
    if (this.byName(name)) throw conflict(`network with name ${name} already exists`);
    const driver = body.Driver || 'bridge';
    if (driver !== 'bridge') {
      if (PREDEFINED.includes(driver) || driver === 'null') throw permissionDenied(`only one instance of "${driver}" network is allowed`);
      throw notFound(`plugin "${driver}" not found`);
    }
    if (body.EnableIPv6) throw invalidArgument('IPv6 networks are not supported by berth');
    const cfgs = body.IPAM?.Config ?? [];
    if (cfgs.length > 1) throw invalidArgument('berth supports one IPv4 subnet per network');
    const c = cfgs[0] ?? {};
    const id = newId();
    const opts = body.Options ?? {};
    const device = opts['com.docker.network.bridge.name'] || this.bridgeDevice(id, false);
    const mtu = opts['com.docker.network.driver.mtu'] ? Number(opts['com.docker.network.driver.mtu']) : this.mtu;
    const state = await this.bridges.create({ id, name, bridge: device, subnet: c.Subnet, gateway: c.Gateway, ipRange: c.IPRange, internal: !!body.Internal, dns: true, mtu });
    const ipamCfg: IpamConfigEntry = { Subnet: state.ipam.subnet, Gateway: state.ipam.gateway };
    if (c.IPRange) ipamCfg.IPRange = c.IPRange;
    try {
      await this.#add(this.#record(id, name, 'bridge', {
        IPAM: { Driver: body.IPAM?.Driver || 'default', Options: body.IPAM?.Options ?? {}, Config: [ipamCfg] },
        Internal: !!body.Internal, Attachable: !!body.Attachable, Options: { ...opts }, Labels: { ...(body.Labels ?? {}) }, state,
      }));
    } catch (e) {
      await this.bridges.remove(id).catch(() => undefined);
      throw e;
    }
    return { Id: id, Warning: '' };
  }

  async remove(ref: string): Promise<NetworkRecord> {
    const r = this.get(ref);
    if (PREDEFINED.includes(r.Name)) throw permissionDenied(`${r.Name} is a pre-defined network and cannot be removed`);
    if (this.bridges.endpoints(r.Id).length) throw permissionDenied(`error while removing network: network ${r.Name} id ${r.Id} has active endpoints`);
    await this.bridges.remove(r.Id);
    await this.store.remove(r.Id);
    this.records.delete(r.Id);
    return r;
  }

  /** Daemon stop with no container running: every bridge and berth's nft table go. */
  async shutdown(anyRunning: boolean): Promise<void> {
    await this.applier.close();
    if (anyRunning) { await this.bridges.proxy.close(); return; }
    await this.bridges.shutdown();
  }
}

// Embedded DNS server of one user-defined network. It listens on the network's gateway address,
// port 53 (UDP and TCP), in the host's namespace. Binding inside each container's netns at
// Docker's 127.0.0.11 is not possible from a multi-threaded Node process (setns), so the
// container's resolv.conf says 127.0.0.11 and an nft table in its netns sends that here
// (resolver.ts).
//
// A queries for container names and aliases on the network are answered from `records`
// (several addresses: all returned, rotated per query — round robin); with `resolve`, a
// container's query is answered from the names of every network it is on (bridge-networks.ts). Other names are
// forwarded to the host's resolvers (or a container's own --dns servers). Queries from outside
// the network's subnet are refused, so a container cannot read another network's names.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import dnsPacket, { type Packet } from 'dns-packet';
import { wrap } from '../errors/errors.ts';
import { contains, parseCidr, parseIp, type Cidr } from './ipv4.ts';

export interface EmbeddedDnsOptions {
  address: string;
  port?: number;
  /** Only clients in this subnet get answers. */
  subnet: string;
  upstreams: readonly string[];
  upstreamPort?: number;
  timeoutMs?: number;
  ttl?: number;
  /**
   * Names as the client at `from` sees them (a container on several networks: the names of all
   * of them); undefined: this network's names only.
   */
  resolve?: (from: string, name: string) => string[] | undefined;
}

const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');

export class EmbeddedDns {
  readonly #o: Required<Omit<EmbeddedDnsOptions, 'resolve'>> & Pick<EmbeddedDnsOptions, 'resolve'>;
  readonly #subnet: Cidr;
  readonly #names = new Map<string, string[]>();
  readonly #turn = new Map<string, number>();
  readonly #clientUpstreams = new Map<string, readonly string[]>();
  #udp: UdpSocket | undefined;
  #tcp: Server | undefined;
  readonly #tcpConns = new Set<Socket>();

  constructor(o: EmbeddedDnsOptions) {
    this.#o = { ...o, port: o.port ?? 53, upstreamPort: o.upstreamPort ?? 53, timeoutMs: o.timeoutMs ?? 4000, ttl: o.ttl ?? 600 };
    this.#subnet = parseCidr(o.subnet);
  }

  get port(): number { return this.#udp?.address().port ?? this.#o.port; }

  /** Adds `ip` under `name` (container name, alias, short id). */
  add(name: string, ip: string): void {
    const k = norm(name);
    const list = this.#names.get(k) ?? [];
    if (!list.includes(ip)) list.push(ip);
    this.#names.set(k, list);
  }

  remove(name: string, ip: string): void {
    const k = norm(name);
    const list = (this.#names.get(k) ?? []).filter((x) => x !== ip);
    if (list.length) this.#names.set(k, list); else this.#names.delete(k);
  }

  /** A container's own `--dns` servers, used for the names it forwards. */
  setClientUpstreams(ip: string, servers: readonly string[] | undefined): void {
    if (servers?.length) this.#clientUpstreams.set(ip, servers); else this.#clientUpstreams.delete(ip);
  }

  lookup(name: string): string[] | undefined {
    const k = norm(name);
    const list = this.#names.get(k);
    if (!list) return undefined;
    const n = this.#turn.get(k) ?? 0;
    this.#turn.set(k, n + 1);
    const i = n % list.length;
    return [...list.slice(i), ...list.slice(0, i)];
  }

  async start(): Promise<void> {
    const udp = createSocket({ type: 'udp4' });
    udp.on('message', (msg, rinfo) => {
      void this.#answer(msg, rinfo.address).then((r) => { if (r && this.#udp === udp) udp.send(r, rinfo.port, rinfo.address); });
    });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', (e) => reject(wrap(`embedded DNS on ${this.#o.address}:${this.#o.port}`, e)));
      udp.bind({ address: this.#o.address, port: this.#o.port, exclusive: true }, () => resolve());
    });
    this.#udp = udp;
    const tcp = createServer((c) => this.#serveTcp(c));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', (e) => reject(wrap(`embedded DNS (tcp) on ${this.#o.address}:${this.port}`, e)));
      tcp.listen({ host: this.#o.address, port: this.port, exclusive: true }, () => resolve());
    }).catch(async (e) => { await this.close(); throw e; });
    this.#tcp = tcp;
  }

  async close(): Promise<void> {
    for (const c of this.#tcpConns) c.destroy();
    const udp = this.#udp;
    const tcp = this.#tcp;
    this.#udp = undefined;
    this.#tcp = undefined;
    await Promise.all([
      udp && new Promise<void>((r) => udp.close(() => r())),
      tcp && new Promise<void>((r) => tcp.close(() => r())),
    ]);
  }

  #serveTcp(c: Socket): void {
    this.#tcpConns.add(c);
    c.on('close', () => this.#tcpConns.delete(c));
    c.on('error', () => c.destroy());
    let buf = Buffer.alloc(0);
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        void this.#answer(Buffer.from(msg), c.remoteAddress?.replace(/^::ffff:/, '') ?? '').then((r) => {
          if (!r || c.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(r.length);
          c.write(Buffer.concat([len, r]));
        });
      }
    });
  }

  async #answer(msg: Buffer, from: string): Promise<Buffer | undefined> {
    let q: Packet;
    try { q = dnsPacket.decode(msg); } catch { return undefined; }
    const rd = (q.flags ?? 0) & dnsPacket.RECURSION_DESIRED;
    // rcode: 0 ok, 1 FORMERR, 2 SERVFAIL, 5 REFUSED (the low 4 bits of the flags)
    const reply = (rcode: number, p: Packet = {}) => dnsPacket.encode({
      id: q.id, type: 'response', questions: q.questions, flags: rd | dnsPacket.RECURSION_AVAILABLE | rcode, ...p,
    });
    let inside = false;
    try { inside = contains(this.#subnet, parseIp(from)); } catch { /* not IPv4 */ }
    if (!inside) return reply(5);
    const question = q.questions?.[0];
    if (!question) return reply(1);
    const ips = this.#o.resolve ? this.#o.resolve(from, question.name) : this.lookup(question.name);
    if (ips) {
      const answers = question.type === 'A' || question.type === 'ANY'
        ? ips.map((ip) => ({ type: 'A', name: question.name, ttl: this.#o.ttl, class: 'IN', data: ip }))
        : [];
      return reply(0, { answers, flags: rd | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHORITATIVE_ANSWER });
    }
    const upstreams = this.#clientUpstreams.get(from) ?? this.#o.upstreams;
    for (const server of upstreams) {
      const r = await this.#forward(msg, server).catch(() => undefined);
      if (r) return r;
    }
    return reply(2);
  }

  #forward(msg: Buffer, server: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const s = createSocket({ type: 'udp4' });
      const timer = setTimeout(() => { s.close(); reject(new Error('timeout')); }, this.#o.timeoutMs);
      s.on('error', (e) => { clearTimeout(timer); s.close(); reject(e); });
      s.on('message', (r) => {
        if (r.length < 2 || r.readUInt16BE(0) !== msg.readUInt16BE(0)) return;
        clearTimeout(timer);
        s.close();
        resolve(r);
      });
      s.send(msg, this.#o.upstreamPort, server);
    });
  }
}

// The userland port proxy, hosted in the daemon process: one listening socket per published
// port (TCP server or UDP socket), no process per port. It serves what the kernel path cannot
// (loopback: 127.0.0.1 is never DNAT'd without route_localnet) and reserves the host port, so a
// second binding of the same port fails as Docker's does. Non-loopback traffic is DNAT'd by
// nftables before it reaches these sockets and keeps its client source address.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket, type RemoteInfo } from 'node:dgram';
import { pipeline } from 'node:stream';
import { conflict, internal, wrap } from '../errors/errors.ts';
import type { Proto } from './ports.ts';

export interface ProxyTarget {
  proto: Proto;
  hostIp: string; // '' = 0.0.0.0
  containerIp: string;
  containerPort: number;
}

interface Entry { close(): Promise<void> }

export interface PortProxyOptions {
  /** UDP flows idle longer than this are dropped (Docker: 90 s). */
  udpIdleMs?: number;
}

const keyOf = (proto: Proto, hostIp: string, port: number) => `${proto}/${hostIp || '0.0.0.0'}:${port}`;

function bindError(hostIp: string, port: number, e: unknown) {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES') return conflict(`Bind for ${hostIp || '0.0.0.0'}:${port} failed: port is already allocated`, e);
  return wrap(`listen ${hostIp || '0.0.0.0'}:${port}`, e);
}

export class PortProxy {
  readonly #entries = new Map<string, Entry>();
  readonly #udpIdleMs: number;

  constructor(o: PortProxyOptions = {}) {
    this.#udpIdleMs = o.udpIdleMs ?? 90_000;
  }

  /** Number of listening sockets. */
  get size(): number { return this.#entries.size; }

  /**
   * Listens on `hostIp:port` (port 0: the kernel picks a free one) and forwards to the target.
   * Returns the host port bound. Throws Conflict "port is already allocated" when taken.
   */
  async add(t: ProxyTarget, port: number): Promise<number> {
    const start = t.proto === 'tcp' ? this.#tcp(t, port) : this.#udp(t, port);
    const { entry, bound } = await start;
    this.#entries.set(keyOf(t.proto, t.hostIp, bound), entry);
    return bound;
  }

  /** Tries the ports lo..hi in turn; the first free one wins (Docker's host-port ranges). */
  async addInRange(t: ProxyTarget, lo: number, hi: number): Promise<number> {
    let last: unknown;
    for (let p = lo; p <= hi; p++) {
      try { return await this.add(t, p); } catch (e) { last = e; }
    }
    throw last ?? internal('empty port range');
  }

  async remove(proto: Proto, hostIp: string, port: number): Promise<void> {
    const k = keyOf(proto, hostIp, port);
    const e = this.#entries.get(k);
    this.#entries.delete(k);
    await e?.close();
  }

  async close(): Promise<void> {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(all.map((e) => e.close()));
  }

  #tcp(t: ProxyTarget, port: number): Promise<{ entry: Entry; bound: number }> {
    const conns = new Set<Socket>();
    const server: Server = createServer({ allowHalfOpen: true }, (client) => {
      const up = connect({ host: t.containerIp, port: t.containerPort, allowHalfOpen: true });
      conns.add(client).add(up);
      const done = (err?: Error | null) => { if (err) { client.destroy(); up.destroy(); } };
      client.on('close', () => conns.delete(client));
      up.on('close', () => conns.delete(up));
      pipeline(client, up, done);
      pipeline(up, client, done);
    });
    return new Promise((resolve, reject) => {
      server.once('error', (e) => reject(bindError(t.hostIp, port, e)));
      server.listen({ host: t.hostIp || '0.0.0.0', port, exclusive: true }, () => {
        const bound = (server.address() as { port: number }).port;
        resolve({ bound, entry: { close: () => new Promise<void>((r) => { for (const c of conns) c.destroy(); server.close(() => r()); }) } });
      });
    });
  }

  #udp(t: ProxyTarget, port: number): Promise<{ entry: Entry; bound: number }> {
    const sock: UdpSocket = createSocket({ type: 'udp4' });
    const flows = new Map<string, { up: UdpSocket; timer: NodeJS.Timeout }>();
    const drop = (k: string) => {
      const f = flows.get(k);
      if (!f) return;
      flows.delete(k);
      clearTimeout(f.timer);
      f.up.close();
    };
    sock.on('message', (msg: Buffer, from: RemoteInfo) => {
      const k = `${from.address}:${from.port}`;
      let f = flows.get(k);
      if (!f) {
        const up = createSocket({ type: 'udp4' });
        up.on('message', (reply, rinfo) => {
          if (rinfo.address !== t.containerIp || rinfo.port !== t.containerPort) return;
          sock.send(reply, from.port, from.address);
          flows.get(k)?.timer.refresh();
        });
        up.on('error', () => drop(k));
        f = { up, timer: setTimeout(() => drop(k), this.#udpIdleMs).unref() };
        flows.set(k, f);
      }
      f.timer.refresh();
      f.up.send(msg, t.containerPort, t.containerIp, (err) => { if (err) drop(k); });
    });
    return new Promise((resolve, reject) => {
      sock.once('error', (e) => reject(bindError(t.hostIp, port, e)));
      sock.bind({ address: t.hostIp || '0.0.0.0', port, exclusive: true }, () => {
        const bound = sock.address().port;
        resolve({ bound, entry: { close: () => new Promise<void>((r) => { for (const k of [...flows.keys()]) drop(k); sock.close(() => r()); }) } });
      });
    });
  }
}

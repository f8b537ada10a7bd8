// @pure
// Where a reference's registry is reached: docker.io goes to registry-1.docker.io, after the
// daemon.json `registry-mirrors` (tried first, in order, for docker.io only). An insecure registry
// (localhost/loopback, and `insecure-registries`: host[:port] names or IPv4 CIDRs) is tried as
// Docker does: HTTPS without certificate verification first, plain HTTP when that cannot connect
// (the client falls back, see registry-client.ts).

export interface RegistryHosts {
  /** daemon.json `registry-mirrors`: URLs such as https://mirror.example or http://127.0.0.1:5000. */
  mirrors?: string[];
  /** daemon.json `insecure-registries`: host[:port] or CIDR. */
  insecure?: string[];
}

export interface Endpoint {
  /** The registry's host[:port] as credentials are looked up by. */
  host: string;
  /** Base URL without a trailing slash; requests go to `${url}/v2/...`. */
  url: string;
  mirror: boolean;
  /** TLS certificates are not verified (insecure-registries). */
  insecure?: boolean;
  /** Plain-HTTP base URL tried when `url` (HTTPS) cannot be reached: insecure registries. */
  fallback?: string;
}

function endpoint(host: string, mirror: boolean, hosts: RegistryHosts): Endpoint {
  if (!isInsecure(host, hosts)) return { host, url: `https://${host}`, mirror };
  return { host, url: `https://${host}`, mirror, insecure: true, fallback: `http://${host}` };
}

export const DOCKER_HUB_DOMAIN = 'docker.io';
export const DOCKER_HUB_HOST = 'registry-1.docker.io';

function hostOnly(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const i = host.lastIndexOf(':');
  return i > 0 && host.indexOf(':') === i ? host.slice(0, i) : host;
}

function ipv4(s: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function inCidr(ip: number, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const n = ipv4(net);
  const b = Number(bits);
  if (n === undefined || !(b >= 0 && b <= 32)) return false;
  const mask = b === 0 ? 0 : (~0 << (32 - b)) >>> 0;
  return ((ip & mask) >>> 0) === ((n & mask) >>> 0);
}

export function isInsecure(host: string, hosts: RegistryHosts = {}): boolean {
  const h = hostOnly(host);
  if (h === 'localhost' || h === '::1' || h.endsWith('.localhost')) return true;
  const ip = ipv4(h);
  if (ip !== undefined && inCidr(ip, '127.0.0.0/8')) return true;
  for (const entry of hosts.insecure ?? []) {
    const e = entry.replace(/^https?:\/\//, '').replace(/\/$/, '');
    if (e.includes('/')) {
      if (ip !== undefined && inCidr(ip, e)) return true;
    } else if (e === host || e === h) return true;
  }
  return false;
}

/** The endpoints to try for a reference's domain, in order. */
export function endpointsFor(domain: string, hosts: RegistryHosts = {}): Endpoint[] {
  const out: Endpoint[] = [];
  if (domain === DOCKER_HUB_DOMAIN) {
    for (const m of hosts.mirrors ?? []) {
      const url = m.replace(/\/+$/, '');
      const host = url.replace(/^https?:\/\//, '');
      out.push(/^https?:\/\//.test(url) ? { host, url, mirror: true, ...(url.startsWith('https:') && isInsecure(host, hosts) ? { insecure: true } : {}) } : endpoint(host, true, hosts));
    }
    out.push({ host: DOCKER_HUB_HOST, url: `https://${DOCKER_HUB_HOST}`, mirror: false });
    return out;
  }
  out.push(endpoint(domain, false, hosts));
  return out;
}

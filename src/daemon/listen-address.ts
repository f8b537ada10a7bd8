// @pure
// `-H` addresses as dockerd reads them: unix:///path (bare `unix://` is the default socket),
// tcp://host:port (default port 2375, or 2376 with TLS), host:port without a scheme is tcp.
import { invalidArgument } from '../errors/errors.ts';

export type ListenAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export function parseListenAddress(raw: string, defaultSocket: string, tls: boolean): ListenAddress {
  const s = raw.trim();
  if (s.startsWith('unix://')) {
    const path = s.slice('unix://'.length) || defaultSocket;
    if (!path.startsWith('/')) throw invalidArgument(`invalid bind address (${raw}): unix socket path must be absolute`);
    return { kind: 'unix', path };
  }
  if (s.startsWith('fd://') || s.startsWith('npipe://') || s.startsWith('ssh://')) {
    throw invalidArgument(`invalid bind address (${raw}): berthd listens on unix:// and tcp:// only`);
  }
  const rest = s.startsWith('tcp://') ? s.slice('tcp://'.length) : s.includes('://') ? undefined : s;
  if (rest === undefined) throw invalidArgument(`invalid bind address (${raw}): unsupported protocol`);
  if (rest.includes('/') && rest.replace(/\/+$/, '').includes('/')) throw invalidArgument(`invalid bind address (${raw}): should not contain a path element`);
  const hostPort = rest.replace(/\/+$/, '');
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!m) throw invalidArgument(`invalid bind address (${raw})`);
  const host = (m[1] || '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  const port = m[2] ? Number(m[2]) : tls ? 2376 : 2375;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidArgument(`invalid bind address (${raw}): invalid port`);
  return { kind: 'tcp', host, port };
}

export function formatListenAddress(a: ListenAddress): string {
  return a.kind === 'unix' ? `unix://${a.path}` : `tcp://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}

// @pure
// Where the client connects: DOCKER_HOST-style addresses (unix:///path, tcp://host:port).
import { invalidArgument } from '../errors/errors.ts';

export const DEFAULT_HOST = 'unix:///run/berth/berth.sock';

export type DaemonAddress = { kind: 'unix'; path: string; url: string } | { kind: 'tcp'; host: string; port: number; url: string };

export function parseDaemonHost(raw: string | undefined, tls = false): DaemonAddress {
  const s = (raw ?? '').trim() || DEFAULT_HOST;
  if (s.startsWith('unix://')) {
    const path = s.slice('unix://'.length);
    if (!path.startsWith('/')) throw invalidArgument(`invalid host ${JSON.stringify(s)}: unix socket path must be absolute`);
    return { kind: 'unix', path, url: s };
  }
  const rest = s.startsWith('tcp://') ? s.slice(6) : s.startsWith('http://') ? s.slice(7) : s.startsWith('https://') ? s.slice(8) : s.includes('://') ? undefined : s;
  if (rest === undefined) throw invalidArgument(`invalid host ${JSON.stringify(s)}: unsupported protocol`);
  const m = /^(\[[^\]]*\]|[^:/]*)(?::(\d+))?\/?$/.exec(rest);
  if (!m) throw invalidArgument(`invalid host ${JSON.stringify(s)}`);
  const host = (m[1] || '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  const port = m[2] ? Number(m[2]) : tls ? 2376 : 2375;
  return { kind: 'tcp', host, port, url: `tcp://${m[1] || '127.0.0.1'}:${port}` };
}

// @pure
// `-p [ip:][hostPort:]containerPort[/proto]` → port bindings, with go-connections' error texts.
import { invalidArgument } from '../errors/errors.ts';
import { isIp } from './ipv4.ts';

export type Proto = 'tcp' | 'udp';

/** One requested publication; hostPortStart = hostPortEnd = 0 asks for a random host port. */
export interface PortRequest {
  hostIp: string; // '' = every address (0.0.0.0)
  hostPortStart: number;
  hostPortEnd: number;
  containerPort: number;
  proto: Proto;
}

/** A publication with its host port decided. */
export interface PortBinding {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  proto: Proto;
}

function parseRange(s: string, what: 'containerPort' | 'hostPort'): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  const bad = () => invalidArgument(what === 'containerPort' ? `invalid containerPort: ${s}` : `invalid hostPort: ${s}`);
  if (!m) throw bad();
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a < 1 || b > 65535 || b < a) throw bad();
  return [a, b];
}

/** Parses one `-p` value into one request per container port. */
export function parsePortSpec(spec: string): PortRequest[] {
  let rest = spec;
  let proto: Proto = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const p = rest.slice(slash + 1).toLowerCase();
    if (p !== 'tcp' && p !== 'udp') throw invalidArgument(`invalid proto: ${p}`);
    proto = p;
    rest = rest.slice(0, slash);
  }
  if (rest.startsWith('[')) throw invalidArgument(`IPv6 host addresses are not supported: ${spec}`);
  const parts = rest.split(':');
  if (parts.length > 3) throw invalidArgument(`invalid port format: ${spec}`);
  const [ip, host, ctr] = parts.length === 3 ? parts : parts.length === 2 ? ['', parts[0], parts[1]] : ['', '', parts[0]];
  if (ctr === '') throw invalidArgument(`No port specified: ${spec}<empty>`);
  if (ip !== '' && !isIp(ip)) throw invalidArgument(`Invalid ip address: ${ip}`);
  const [c0, c1] = parseRange(ctr, 'containerPort');
  const [h0, h1] = host === '' ? [0, 0] : parseRange(host, 'hostPort');
  const hostIp = ip === '0.0.0.0' ? '' : ip;
  const n = c1 - c0 + 1;
  if (host !== '' && n > 1 && h1 - h0 + 1 !== n) {
    throw invalidArgument(`Invalid ranges specified for container and host Ports: ${ctr} and ${host}`);
  }
  const out: PortRequest[] = [];
  for (let i = 0; i < n; i++) {
    if (host === '') out.push({ hostIp, hostPortStart: 0, hostPortEnd: 0, containerPort: c0 + i, proto });
    else if (n === 1) out.push({ hostIp, hostPortStart: h0, hostPortEnd: h1, containerPort: c0, proto });
    else out.push({ hostIp, hostPortStart: h0 + i, hostPortEnd: h0 + i, containerPort: c0 + i, proto });
  }
  return out;
}

/** `-P`: every exposed port (`80/tcp` keys of the image's ExposedPorts) on a random host port. */
export function publishAll(exposed: readonly string[]): PortRequest[] {
  return exposed.flatMap((e) => parsePortSpec(e.includes('/') ? e : `${e}/tcp`));
}

/** Docker's `port` / inspect key: `80/tcp`. */
export function portKey(b: { containerPort: number; proto: Proto }): string {
  return `${b.containerPort}/${b.proto}`;
}

// @pure
// The small value syntaxes of run/create: -p, --mount, --ulimit, --restart.
import { invalidArgument } from '../../../errors/errors.ts';

export interface PortBindingOut { key: string; binding: { HostIp: string; HostPort: string } }

function range(s: string): [number, number] {
  const [a, z = a] = s.split('-');
  const x = Number(a);
  const y = Number(z);
  if (!/^\d+$/.test(a) || !/^\d+$/.test(z) || x > y || y > 65535) throw invalidArgument(`invalid containerPort: ${s}`);
  return [x, y];
}

/** -p [ip:][hostPort:]containerPort[/proto], ranges allowed, IPv6 in brackets. */
export function parsePublish(spec: string): PortBindingOut[] {
  let rest = spec;
  let proto = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) { proto = rest.slice(slash + 1).toLowerCase(); rest = rest.slice(0, slash); }
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw invalidArgument(`invalid proto: ${proto}`);
  let ip = '';
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) { ip = v6[1]; rest = v6[2]; }
  const parts = rest.split(':');
  if (!v6 && parts.length === 3) ip = parts.shift()!;
  if (parts.length > 2) throw invalidArgument(`invalid port format: ${spec}`);
  const container = parts.pop()!;
  const host = parts[0] ?? '';
  const [c0, c1] = range(container);
  const hostRange = host ? range(host) : undefined;
  if (hostRange && hostRange[1] - hostRange[0] !== c1 - c0 && hostRange[0] !== hostRange[1]) throw invalidArgument(`invalid ranges specified for container and host Ports: ${container} and ${host}`);
  const out: PortBindingOut[] = [];
  for (let p = c0; p <= c1; p++) {
    let hp = '';
    if (hostRange) hp = hostRange[0] === hostRange[1] && c0 === c1 ? String(hostRange[0]) : c1 - c0 === hostRange[1] - hostRange[0] ? String(hostRange[0] + (p - c0)) : `${hostRange[0]}-${hostRange[1]}`;
    out.push({ key: `${p}/${proto}`, binding: { HostIp: ip, HostPort: hp } });
  }
  return out;
}

export function parseUlimit(s: string): { Name: string; Soft: number; Hard: number } {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(s);
  if (!m) throw invalidArgument(`invalid ulimit argument: ${s}`);
  const soft = Number(m[2]);
  const hard = m[3] !== undefined ? Number(m[3]) : soft;
  if (soft > hard && hard !== -1) throw invalidArgument(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { Name: m[1], Soft: soft, Hard: hard };
}

export function parseRestart(s: string): { Name: string; MaximumRetryCount: number } {
  if (!s) return { Name: 'no', MaximumRetryCount: 0 };
  const [name, count] = s.split(':');
  if (!['no', 'always', 'unless-stopped', 'on-failure'].includes(name)) throw invalidArgument(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  if (count !== undefined && name !== 'on-failure') throw invalidArgument(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  return { Name: name, MaximumRetryCount: count ? Number(count) : 0 };
}

const TRUE = (v: string | undefined) => v === undefined || v === '' || v === 'true' || v === '1';

/** --mount type=bind|volume|tmpfs,source=…,target=…,readonly,… */
export function parseMount(spec: string): Record<string, unknown> {
  const m: Record<string, unknown> = { Type: 'volume' };
  const bind: Record<string, unknown> = {};
  const vol: Record<string, unknown> = {};
  const tmpfs: Record<string, unknown> = {};
  for (const field of spec.split(',')) {
    const i = field.indexOf('=');
    const k = (i < 0 ? field : field.slice(0, i)).trim().toLowerCase();
    const v = i < 0 ? undefined : field.slice(i + 1);
    switch (k) {
      case 'type': m.Type = v; break;
      case 'source': case 'src': m.Source = v; break;
      case 'target': case 'dst': case 'destination': m.Target = v; break;
      case 'readonly': case 'ro': m.ReadOnly = TRUE(v); break;
      case 'consistency': m.Consistency = v; break;
      case 'bind-propagation': bind.Propagation = v; break;
      case 'bind-recursive': bind.NonRecursive = v === 'disabled'; break;
      case 'volume-nocopy': vol.NoCopy = TRUE(v); break;
      case 'volume-driver': vol.DriverConfig = { Name: v }; break;
      case 'volume-subpath': vol.Subpath = v; break;
      case 'tmpfs-size': tmpfs.SizeBytes = Number(v); break;
      case 'tmpfs-mode': tmpfs.Mode = parseInt(v ?? '', 8); break;
      default: throw invalidArgument(`invalid argument "${spec}" for "--mount" flag: unexpected key '${k}' in '${field}'`);
    }
  }
  if (!m.Target) throw invalidArgument(`invalid argument "${spec}" for "--mount" flag: target is required`);
  if (Object.keys(bind).length) m.BindOptions = bind;
  if (Object.keys(vol).length) m.VolumeOptions = vol;
  if (Object.keys(tmpfs).length) m.TmpfsOptions = tmpfs;
  return m;
}

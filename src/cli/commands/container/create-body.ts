// @pure
// Flags of run/create → the ContainerCreate body (Config + HostConfig + NetworkingConfig), as
// the docker CLI's opts/parse.go builds it. Files (--env-file, --label-file, seccomp profiles)
// are read through `deps` so this stays testable.
import { keyValues } from '../../key-values.ts';
import { invalidArgument } from '../../../errors/errors.ts';
import { list, str, bool } from '../../command.ts';
import type { FlagValues } from '../../flags/parse-flags.ts';
import { ramInBytes } from '../../format/human-units.ts';
import { parseMount, parsePublish, parseUlimit, parseRestart } from './create-parsers.ts';

export interface CreateDeps { env: Record<string, string | undefined>; readFile(path: string): string }

export interface CreateRequest { name?: string; platform?: string; body: Record<string, unknown>; image: string }

function envLine(v: string, env: CreateDeps['env']): string {
  if (v.includes('=')) return v;
  const x = env[v];
  return x === undefined ? v : `${v}=${x}`;
}

function keyValueFile(text: string, env: CreateDeps['env'], isEnv: boolean): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+/, '').replace(/\r$/, '');
    if (!line || line.startsWith('#')) continue;
    if (isEnv) out.push(envLine(line, env));
    else out.push(line);
  }
  return out;
}

const size = (v: string, flag: string): number => {
  try { return ramInBytes(v); } catch { throw invalidArgument(`invalid argument "${v}" for "${flag}" flag: invalid size: '${v}'`); }
};

export function buildCreate(f: FlagValues, args: string[], deps: CreateDeps, detach: boolean): CreateRequest {
  const [image, ...cmd] = args;
  const attach = list(f, 'attach').map((x) => x.toLowerCase());
  for (const a of attach) if (!['stdin', 'stdout', 'stderr'].includes(a)) throw invalidArgument(`valid streams are STDIN, STDOUT and STDERR`);
  const stdin = bool(f, 'interactive');
  let attachStdin = attach.includes('stdin') || (attach.length === 0 && stdin);
  let attachStdout = attach.length === 0 || attach.includes('stdout');
  let attachStderr = attach.length === 0 || attach.includes('stderr');
  if (detach) { attachStdin = attachStdout = attachStderr = false; }

  const env = [...list(f, 'env-file').flatMap((p) => keyValueFile(deps.readFile(p), deps.env, true)), ...list(f, 'env').map((e) => envLine(e, deps.env))];
  const labels = keyValues([...list(f, 'label-file').flatMap((p) => keyValueFile(deps.readFile(p), deps.env, false)), ...list(f, 'label')]);
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of list(f, 'publish')) for (const { key, binding } of parsePublish(p)) {
    exposed[key] = {};
    (bindings[key] ??= []).push(binding);
  }
  for (const e of list(f, 'expose')) {
    const [range, proto = 'tcp'] = e.split('/');
    const [a, z = a] = range.split('-').map(Number);
    for (let n = a; n <= z; n++) exposed[`${n}/${proto}`] = {};
  }
  const volumes: Record<string, object> = {};
  const binds: string[] = [];
  for (const v of list(f, 'volume')) {
    if (v.includes(':')) binds.push(v);
    else volumes[v] = {};
  }
  const tmpfs: Record<string, string> = {};
  for (const t of list(f, 'tmpfs')) {
    const i = t.indexOf(':');
    tmpfs[i < 0 ? t : t.slice(0, i)] = i < 0 ? '' : t.slice(i + 1);
  }
  const securityOpt = list(f, 'security-opt').map((o) => {
    const m = /^seccomp[=:](.*)$/.exec(o);
    if (!m || m[1] === 'unconfined' || m[1] === 'builtin') return o;
    try { return `seccomp=${JSON.stringify(JSON.parse(deps.readFile(m[1])))}`; } catch (err) { throw invalidArgument(`opening seccomp profile (${m[1]}) failed: ${(err as Error).message}`); }
  });
  const sysctls: Record<string, string> = {};
  for (const s of list(f, 'sysctl')) { const i = s.indexOf('='); if (i < 0) throw invalidArgument(`sysctl '${s}' is not allowed`); sysctls[s.slice(0, i)] = s.slice(i + 1); }
  const logOpts: Record<string, string> = {};
  for (const s of list(f, 'log-opt')) { const i = s.indexOf('='); logOpts[s.slice(0, i)] = s.slice(i + 1); }
  const network = str(f, 'network') || str(f, 'net') || 'default';

  let entrypoint: string[] | undefined;
  if (f.entrypoint !== undefined) entrypoint = str(f, 'entrypoint') ? [str(f, 'entrypoint')] : [''];
  let cpus: number | undefined;
  if (str(f, 'cpus')) {
    cpus = Math.round(Number(str(f, 'cpus')) * 1e9);
    if (!Number.isFinite(cpus)) throw invalidArgument(`invalid argument "${str(f, 'cpus')}" for "--cpus" flag: failed to parse ${str(f, 'cpus')} as a rational number`);
  }
  const memSwap = str(f, 'memory-swap');
  let healthcheck: Record<string, unknown> | undefined;
  if (bool(f, 'no-healthcheck')) healthcheck = { Test: ['NONE'] };
  else if (str(f, 'health-cmd')) healthcheck = { Test: ['CMD-SHELL', str(f, 'health-cmd')] };

  const config: Record<string, unknown> = {
    Hostname: str(f, 'hostname'), Domainname: str(f, 'domainname'), User: str(f, 'user'),
    AttachStdin: attachStdin, AttachStdout: attachStdout, AttachStderr: attachStderr,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    Tty: bool(f, 'tty'), OpenStdin: stdin, StdinOnce: stdin && attachStdin,
    Env: env, Cmd: cmd.length ? cmd : null, Image: image,
    Volumes: Object.keys(volumes).length ? volumes : undefined, WorkingDir: str(f, 'workdir'),
    Entrypoint: entrypoint ?? null, Labels: labels,
    StopSignal: str(f, 'stop-signal') || undefined,
    StopTimeout: f['stop-timeout'] as number | undefined,
    Healthcheck: healthcheck,
  };
  const hostConfig: Record<string, unknown> = {
    Binds: binds.length ? binds : null, ContainerIDFile: str(f, 'cidfile'),
    LogConfig: { Type: str(f, 'log-driver'), Config: logOpts }, NetworkMode: network,
    PortBindings: bindings, RestartPolicy: parseRestart(str(f, 'restart')), AutoRemove: bool(f, 'rm'),
    VolumesFrom: list(f, 'volumes-from'), CapAdd: list(f, 'cap-add'), CapDrop: list(f, 'cap-drop'),
    CgroupnsMode: str(f, 'cgroupns'), Dns: list(f, 'dns'), DnsOptions: list(f, 'dns-option'), DnsSearch: list(f, 'dns-search'),
    ExtraHosts: list(f, 'add-host'), GroupAdd: list(f, 'group-add'), IpcMode: str(f, 'ipc'), Cgroup: '',
    Links: list(f, 'link'), OomScoreAdj: (f['oom-score-adj'] as number | undefined) ?? 0, PidMode: str(f, 'pid'),
    Privileged: bool(f, 'privileged'), PublishAllPorts: bool(f, 'publish-all'), ReadonlyRootfs: bool(f, 'read-only'),
    SecurityOpt: securityOpt, Tmpfs: Object.keys(tmpfs).length ? tmpfs : undefined, UTSMode: str(f, 'uts'), UsernsMode: str(f, 'userns'),
    ShmSize: str(f, 'shm-size') ? size(str(f, 'shm-size'), '--shm-size') : 0,
    Sysctls: Object.keys(sysctls).length ? sysctls : undefined, Runtime: str(f, 'runtime') || undefined,
    CgroupParent: str(f, 'cgroup-parent'), CpuShares: (f['cpu-shares'] as number | undefined) ?? 0,
    Memory: str(f, 'memory') ? size(str(f, 'memory'), '--memory') : 0,
    MemoryReservation: str(f, 'memory-reservation') ? size(str(f, 'memory-reservation'), '--memory-reservation') : 0,
    MemorySwap: memSwap === '-1' ? -1 : memSwap ? size(memSwap, '--memory-swap') : 0,
    MemorySwappiness: f['memory-swappiness'] as number | undefined,
    NanoCpus: cpus ?? 0, CpuPeriod: (f['cpu-period'] as number | undefined) ?? 0, CpuQuota: (f['cpu-quota'] as number | undefined) ?? 0,
    CpusetCpus: str(f, 'cpuset-cpus'), CpusetMems: str(f, 'cpuset-mems'),
    Devices: list(f, 'device').map((d) => {
      const [host, inner = host, perms = 'rwm'] = d.split(':');
      return { PathOnHost: host, PathInContainer: inner, CgroupPermissions: perms };
    }),
    OomKillDisable: bool(f, 'oom-kill-disable'),
    PidsLimit: f['pids-limit'] as number | undefined,
    Ulimits: list(f, 'ulimit').map(parseUlimit),
    Mounts: list(f, 'mount').map(parseMount),
  };
  if (f.init !== undefined) hostConfig.Init = bool(f, 'init');
  const endpoints: Record<string, unknown> = {};
  if (network !== 'default' && !['host', 'none', 'bridge'].includes(network) || list(f, 'network-alias').length || str(f, 'ip')) {
    endpoints[network] = { Aliases: list(f, 'network-alias').length ? list(f, 'network-alias') : undefined, IPAMConfig: str(f, 'ip') ? { IPv4Address: str(f, 'ip') } : undefined };
  }
  const body = { ...config, HostConfig: hostConfig, NetworkingConfig: { EndpointsConfig: endpoints } };
  return { name: str(f, 'name') || undefined, platform: str(f, 'platform') || undefined, body, image };
}

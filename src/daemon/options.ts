// @pure
// berthd's options from dockerd-style flags and a daemon.json: the same names, the same refusal
// of unknown or doubly-given directives, and no tcp:// listener without TLS unless `--tls=false`.
import { invalidArgument } from '../errors/errors.ts';
import { parseFlags, type FlagDef } from '../cli/flags/parse-flags.ts';
import { isLogLevel, type LogLevel } from './logger.ts';

export interface TlsOptions { ca?: string; cert?: string; key?: string; verify: boolean }

export interface DaemonOptions {
  hosts: string[];
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  cgroupParent?: string;
  logLevel: LogLevel;
  debug: boolean;
  /** undefined: plain (only allowed for unix sockets or with an explicit --tls=false). */
  tls?: TlsOptions;
  /** Whether `--tls=false` (or "tls": false) was said explicitly. */
  tlsExplicitlyOff: boolean;
  /** Group owning the unix sockets; `groupExplicit` when given by flag or file. */
  group: string;
  groupExplicit: boolean;
  labels: string[];
  /** Other daemon.json directives Docker knows (log-opts, registry-mirrors…), for later modules. */
  extra: Record<string, unknown>;
  configFile: string;
  configFileExplicit: boolean;
  showVersion: boolean;
  showHelp: boolean;
}

export const DEFAULT_SOCKET = '/run/berth/berth.sock';
export const DEFAULT_CONFIG_FILE = '/etc/berth/daemon.json';

export const DAEMON_FLAGS: FlagDef[] = [
  { name: 'host', short: 'H', kind: 'list' },
  { name: 'data-root', kind: 'string' },
  { name: 'exec-root', kind: 'string' },
  { name: 'pidfile', short: 'p', kind: 'string' },
  { name: 'cgroup-parent', kind: 'string' },
  { name: 'log-level', short: 'l', kind: 'string' },
  { name: 'debug', short: 'D', kind: 'bool' },
  { name: 'config-file', kind: 'string' },
  { name: 'tls', kind: 'bool' },
  { name: 'tlsverify', kind: 'bool' },
  { name: 'tlscacert', kind: 'string' },
  { name: 'tlscert', kind: 'string' },
  { name: 'tlskey', kind: 'string' },
  { name: 'group', short: 'G', kind: 'string' },
  { name: 'label', kind: 'list' },
  { name: 'version', short: 'v', kind: 'bool' },
  { name: 'help', short: 'h', kind: 'bool' },
];

/** daemon.json key → flag name, for the directives berthd itself reads. */
const FILE_KEYS: Record<string, string> = {
  hosts: 'host', 'data-root': 'data-root', 'exec-root': 'exec-root', pidfile: 'pidfile', 'cgroup-parent': 'cgroup-parent',
  'log-level': 'log-level', debug: 'debug', tls: 'tls', tlsverify: 'tlsverify', tlscacert: 'tlscacert', tlscert: 'tlscert',
  tlskey: 'tlskey', group: 'group', labels: 'label',
};

/** Directives dockerd accepts that other berth modules read (passed through in `extra`). */
const PASSTHROUGH = new Set([
  'log-driver', 'log-opts', 'registry-mirrors', 'insecure-registries', 'default-ulimits', 'live-restore', 'storage-driver',
  'storage-opts', 'dns', 'dns-opts', 'dns-search', 'default-address-pools', 'features', 'experimental', 'bip', 'mtu',
  'max-concurrent-downloads', 'max-concurrent-uploads', 'max-download-attempts', 'shutdown-timeout', 'seccomp-profile',
  'default-runtime', 'runtimes', 'userland-proxy', 'iptables', 'ip6tables', 'ip-forward', 'ip-masq', 'no-new-privileges',
  'default-shm-size', 'init', 'default-cgroupns-mode', 'default-ipc-mode', 'ipv6', 'fixed-cidr', 'fixed-cidr-v6',
  'builder', 'containerd', 'cgroup-favordynmods', 'icc', 'userns-remap', 'proxies', 'exec-opts', 'oom-score-adjust',
]);

function asList(v: unknown, key: string): string[] {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  throw invalidArgument(`invalid value for "${key}" in the configuration file: expected a list of strings`);
}

/** dockerd's two refusals: unknown directives, and directives given both as flag and in the file. */
export function mergeConfigFile(flags: Record<string, unknown>, file: Record<string, unknown>, path: string): Record<string, unknown> {
  const unknown = Object.keys(file).filter((k) => !(k in FILE_KEYS) && !PASSTHROUGH.has(k));
  if (unknown.length) {
    throw invalidArgument(`unable to configure the berth daemon with file ${path}: the following directives don't match any configuration option: ${unknown.sort().join(', ')}`);
  }
  const both: string[] = [];
  const merged: Record<string, unknown> = { ...flags };
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(file)) {
    const flag = FILE_KEYS[k];
    if (!flag) { extra[k] = v; continue; }
    const fromFlag = flags[flag];
    const isSet = Array.isArray(fromFlag) ? fromFlag.length > 0 : fromFlag !== undefined;
    if (isSet) { both.push(`${k}: (from flag: ${JSON.stringify(fromFlag)}, from file: ${JSON.stringify(v)})`); continue; }
    const def = DAEMON_FLAGS.find((d) => d.name === flag)!;
    if (def.kind === 'list') merged[flag] = asList(v, k);
    else if (def.kind === 'bool' && typeof v !== 'boolean') throw invalidArgument(`invalid value for "${k}" in the configuration file: expected a boolean`);
    else if (def.kind === 'string' && typeof v !== 'string') throw invalidArgument(`invalid value for "${k}" in the configuration file: expected a string`);
    else merged[flag] = v;
  }
  if (both.length) {
    throw invalidArgument(`unable to configure the berth daemon with file ${path}: the following directives are specified both as a flag and in the configuration file: ${both.join(', ')}`);
  }
  merged.__extra = extra;
  return merged;
}

export function parseDaemonArgs(argv: readonly string[]): Record<string, unknown> {
  const { flags, args } = parseFlags(argv, DAEMON_FLAGS);
  if (args.length) throw invalidArgument(`berthd does not take positional arguments, got ${JSON.stringify(args)}`);
  return flags;
}

/** Final options from parsed flags (already merged with the file, if any). */
export function resolveOptions(f: Record<string, unknown>, configFile: string, configFileExplicit: boolean): DaemonOptions {
  const debug = f.debug === true;
  const level = (f['log-level'] as string | undefined) ?? (debug ? 'debug' : 'info');
  if (!isLogLevel(level)) throw invalidArgument(`unable to parse logging level: ${level}`);
  const verify = f.tlsverify === true;
  const tlsOn = verify || f.tls === true;
  const tls: TlsOptions | undefined = tlsOn
    ? { verify, ca: f.tlscacert as string | undefined, cert: f.tlscert as string | undefined, key: f.tlskey as string | undefined }
    : undefined;
  if (tls && (!tls.cert || !tls.key)) throw invalidArgument('TLS needs both --tlscert and --tlskey');
  if (tls?.verify && !tls.ca) throw invalidArgument('--tlsverify needs --tlscacert to verify clients against');
  const hosts = (f.host as string[] | undefined)?.length ? (f.host as string[]) : [`unix://${DEFAULT_SOCKET}`];
  return {
    hosts,
    dataRoot: (f['data-root'] as string | undefined) ?? '/var/lib/berth',
    execRoot: (f['exec-root'] as string | undefined) ?? '/run/berth',
    pidfile: (f.pidfile as string | undefined) ?? '/run/berth.pid',
    cgroupParent: f['cgroup-parent'] as string | undefined,
    logLevel: level,
    debug,
    tls,
    tlsExplicitlyOff: f.tls === false && !verify,
    group: (f.group as string | undefined) ?? 'berth',
    groupExplicit: f.group !== undefined,
    labels: (f.label as string[] | undefined) ?? [],
    extra: (f.__extra as Record<string, unknown> | undefined) ?? {},
    configFile,
    configFileExplicit,
    showVersion: f.version === true,
    showHelp: f.help === true,
  };
}

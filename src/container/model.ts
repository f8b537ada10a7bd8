// @pure
// The container record: what berth knows about one container, persisted as Docker's
// config.v2.json (+ hostconfig.json). State fields and their JSON names are Docker's
// (container/state.go); times are RFC 3339 strings with Go's zero time for "never".
import type { ContainerConfig, HostConfig } from './docker-types.ts';
import type { NetworkSettings } from './network-settings.ts';
import { invalidArgument } from '../errors/errors.ts';
import { humanDuration } from '../api/human-duration.ts';
import { isoTime } from '../sys/iso-time.ts';

/** 64 lowercase hex characters. */
export type ContainerId = string & { readonly __brand: 'ContainerId' };

/** Go's zero time.Time, as Docker prints it for StartedAt/FinishedAt of a container never started/stopped. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export type Status = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface HealthLogEntry { Start: string; End: string; ExitCode: number; Output: string }

export interface Health { Status: 'starting' | 'healthy' | 'unhealthy' | 'none'; FailingStreak: number; Log: HealthLogEntry[] }

/** Docker's State as stored; `Status` is derived (statusOf) and filled in for inspect. */
export interface ContainerState {
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  RemovalInProgress: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  Health?: Health;
}

/** A mount the snapshotter returned for the rootfs (containerd's Mount shape). */
export interface RootfsMount { type: string; source: string; target?: string; options: string[] }

export interface ContainerRecord {
  ID: ContainerId;
  /** With the leading slash, as Docker stores it: "/web". */
  Name: string;
  /** RFC 3339 with nanoseconds. */
  Created: string;
  Path: string;
  Args: string[];
  Config: ContainerConfig;
  HostConfig: HostConfig;
  /** The image's content id ("sha256:…"). */
  Image: string;
  State: ContainerState;
  RestartCount: number;
  HasBeenStartedBefore: boolean;
  HasBeenManuallyStopped: boolean;
  LogPath: string;
  Driver: string;
  Platform: string;
  /** The snapshot key and the mounts that assemble the rootfs. */
  Snapshot?: { key: string; mounts: RootfsMount[] };
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  SeccompProfile?: string;
  NoNewPrivileges: boolean;
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  /** Endpoints on networks (config kept while stopped) and published ports. */
  NetworkSettings?: NetworkSettings;
}

const ID_RE = /^[0-9a-f]{64}$/;

export function isContainerId(s: string): s is ContainerId {
  return ID_RE.test(s);
}

export function asContainerId(s: string): ContainerId {
  if (!isContainerId(s)) throw invalidArgument(`invalid container id: ${JSON.stringify(s)}`);
  return s;
}

/** A new id from 32 random bytes (the caller supplies them: pure module). Docker re-draws ids that are all digits. */
export function containerIdFrom(random: Uint8Array): ContainerId | undefined {
  if (random.length < 32) throw invalidArgument('container id needs 32 random bytes');
  const hex = Array.from(random.subarray(0, 32), (b) => b.toString(16).padStart(2, '0')).join('');
  // stringid.GenerateRandomID: an id that parses as a number (e.g. all digits with an 'e') is rejected.
  if (/^[0-9]+$/.test(hex.slice(0, 12))) return undefined;
  return hex as ContainerId;
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

export function initialState(): ContainerState {
  return {
    Running: false, Paused: false, Restarting: false, OOMKilled: false, RemovalInProgress: false, Dead: false,
    Pid: 0, ExitCode: 0, Error: '', StartedAt: ZERO_TIME, FinishedAt: ZERO_TIME,
  };
}

export interface NewRecordInput {
  id: ContainerId;
  name: string;
  created: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  image: string;
  path: string;
  args: string[];
  logPath: string;
  driver?: string;
  snapshot?: { key: string; mounts: RootfsMount[] };
}

export function newContainerRecord(i: NewRecordInput): ContainerRecord {
  return {
    ID: i.id, Name: i.name.startsWith('/') ? i.name : `/${i.name}`, Created: i.created,
    Path: i.path, Args: i.args, Config: i.config, HostConfig: i.hostConfig, Image: i.image,
    State: initialState(), RestartCount: 0, HasBeenStartedBefore: false, HasBeenManuallyStopped: false,
    LogPath: i.logPath, Driver: i.driver ?? 'overlay2', Platform: 'linux', ...(i.snapshot ? { Snapshot: i.snapshot } : {}),
    MountLabel: '', ProcessLabel: '', AppArmorProfile: '', NoNewPrivileges: false,
    ResolvConfPath: '', HostnamePath: '', HostsPath: '',
  };
}

export const isZeroTime = (t: string): boolean => t === ZERO_TIME || t === '' || t.startsWith('0001-01-01');

/** Docker's StateString(): the `Status` of inspect and the `State` of ps. */
export function statusOf(s: ContainerState): Status {
  if (s.Running) {
    if (s.Paused) return 'paused';
    if (s.Restarting) return 'restarting';
    return 'running';
  }
  if (s.RemovalInProgress) return 'removing';
  if (s.Dead) return 'dead';
  if (isZeroTime(s.StartedAt)) return 'created';
  return 'exited';
}

/** The State object of `docker inspect`: Status first, RemovalInProgress left out. */
export function inspectState(s: ContainerState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Status: statusOf(s), Running: s.Running, Paused: s.Paused, Restarting: s.Restarting, OOMKilled: s.OOMKilled,
    Dead: s.Dead, Pid: s.Pid, ExitCode: s.ExitCode, Error: s.Error, StartedAt: s.StartedAt, FinishedAt: s.FinishedAt,
  };
  if (s.Health) out.Health = s.Health;
  return out;
}

export { humanDuration } from '../api/human-duration.ts';

/** Docker's State.String(): the STATUS column of `docker ps`. `now` in ms since the epoch. */
export function statusText(s: ContainerState, now: number): string {
  const since = (t: string) => humanDuration(Math.max(0, now - Date.parse(t)));
  if (s.Running) {
    if (s.Paused) return `Up ${since(s.StartedAt)} (Paused)`;
    if (s.Restarting) return `Restarting (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
    const h = s.Health?.Status;
    const health = h === 'starting' ? ' (health: starting)' : h === 'healthy' ? ' (healthy)' : h === 'unhealthy' ? ' (unhealthy)' : '';
    return `Up ${since(s.StartedAt)}${health}`;
  }
  if (s.RemovalInProgress) return 'Removal In Progress';
  if (s.Dead) return 'Dead';
  if (isZeroTime(s.StartedAt)) return 'Created';
  if (isZeroTime(s.FinishedAt)) return '';
  return `Exited (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
}

/** A JS Date → RFC 3339 with Go's RFC3339Nano trimming ("…05.1Z", "…05Z"); `nanos` adds sub-ms digits. */
export function rfc3339Nano(d: Date, subMillisNanos = 0): string {
  const iso = isoTime(d); // 2024-01-02T03:04:05.678Z
  const frac = (String(d.getUTCMilliseconds()).padStart(3, '0') + String(subMillisNanos).padStart(6, '0')).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? '.' + frac : ''}Z`;
}

// @pure
// Docker's JSON shapes for containers: the inspect document and the list summary, with the
// list filters (id, name, label, status, exited, ancestor by image id, before/since).
import type { ContainerRecord } from '../../container/model.ts';
import { inspectState, statusOf, statusText } from '../../container/model.ts';
import type { Filters } from '../../api/system-types.ts';
import { invalidArgument } from '../../errors/errors.ts';
import { networkSettingsView, portSummary } from '../network-plan.ts';
import { mountPointView, type MountPoint } from '../../container/spec/mounts.ts';

/** The record's MountPoints (by destination) as inspect and ps show them. */
const mountsOf = (r: ContainerRecord): MountPoint[] => Object.values((r as { MountPoints?: Record<string, MountPoint> }).MountPoints ?? {});

function mountsView(r: ContainerRecord): Record<string, unknown>[] {
  const mps = mountsOf(r);
  return mps.sort((a, b) => (a.Destination < b.Destination ? -1 : 1)).map(mountPointView);
}

export function inspectView(r: ContainerRecord, rootfs: string): Record<string, unknown> {
  return {
    Id: r.ID, Created: r.Created, Path: r.Path, Args: r.Args, State: inspectState(r.State), Image: r.Image,
    ResolvConfPath: r.ResolvConfPath, HostnamePath: r.HostnamePath, HostsPath: r.HostsPath, LogPath: r.LogPath,
    Name: r.Name, RestartCount: r.RestartCount, Driver: r.Driver, Platform: r.Platform, MountLabel: r.MountLabel,
    ProcessLabel: r.ProcessLabel, AppArmorProfile: r.AppArmorProfile, ExecIDs: null, HostConfig: r.HostConfig,
    GraphDriver: { Name: r.Driver, Data: { MergedDir: rootfs } }, Mounts: mountsView(r), Config: r.Config,
    NetworkSettings: networkSettingsView(r.NetworkSettings, r.State.Running),
  };
}

export function summaryView(r: ContainerRecord, now: number): Record<string, unknown> {
  return {
    Id: r.ID, Names: [r.Name], Image: r.Config.Image ?? r.Image, ImageID: r.Image,
    Command: [r.Path, ...r.Args].map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ').trim(),
    Created: Math.floor(Date.parse(r.Created) / 1000), Ports: r.State.Running ? portSummary(r.NetworkSettings?.Ports) : [], Labels: r.Config.Labels ?? {},
    State: statusOf(r.State), Status: statusText(r.State, now),
    HostConfig: { NetworkMode: r.HostConfig.NetworkMode ?? 'default' }, NetworkSettings: { Networks: r.NetworkSettings?.Networks ?? {} }, Mounts: mountsView(r),
  };
}

const ACCEPTED = ['id', 'name', 'label', 'status', 'exited', 'ancestor', 'before', 'since', 'health', 'is-task', 'network', 'volume', 'publish', 'expose'];
const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

function labelMatch(labels: Record<string, string>, want: string): boolean {
  const eq = want.indexOf('=');
  return eq < 0 ? want in labels : labels[want.slice(0, eq)] === want.slice(eq + 1);
}

/** The containers `docker ps` shows: newest first, filtered, limited. */
export function selectContainers(all: ContainerRecord[], opts: { all: boolean; limit?: number; filters: Filters }): ContainerRecord[] {
  const f = opts.filters;
  for (const k of Object.keys(f)) if (!ACCEPTED.includes(k)) throw invalidArgument(`invalid filter '${k}'`);
  for (const s of f.status ?? []) if (!STATUSES.includes(s)) throw invalidArgument(`invalid filter 'status=${s}'`);
  let list = [...all].sort((a, b) => (a.Created < b.Created ? 1 : a.Created > b.Created ? -1 : 0));
  const byRef = (ref: string) => all.find((r) => r.ID.startsWith(ref) || r.Name === `/${ref}`);
  for (const ref of f.before ?? []) { const b = byRef(ref); if (b) list = list.filter((r) => r.Created < b.Created); }
  for (const ref of f.since ?? []) { const s = byRef(ref); if (s) list = list.filter((r) => r.Created > s.Created); }
  const showAll = opts.all || (opts.limit ?? 0) > 0 || (f.status?.length ?? 0) > 0 || (f.exited?.length ?? 0) > 0;
  list = list.filter((r) => {
    if (!showAll && !r.State.Running) return false;
    if (f.id && !f.id.some((x) => r.ID.startsWith(x))) return false;
    if (f.name && !f.name.some((x) => new RegExp(x.replace(/^\//, '')).test(r.Name.slice(1)))) return false;
    if (f.label && !f.label.every((l) => labelMatch(r.Config.Labels ?? {}, l))) return false;
    if (f.status && !f.status.includes(statusOf(r.State))) return false;
    if (f.exited && (r.State.Running || !f.exited.includes(String(r.State.ExitCode)))) return false;
    if (f.volume && !f.volume.some((v) => mountsOf(r).some((m) => m.Name === v || m.Destination === v || (m.Type === 'bind' && m.Source === v)))) return false;
    if (f.ancestor && !f.ancestor.some((a) => r.Image === a || r.Image.startsWith(`sha256:${a}`) || r.Config.Image === a || r.Config.Image === `${a}:latest`)) return false;
    return true;
  });
  return opts.limit && opts.limit > 0 ? list.slice(0, opts.limit) : list;
}

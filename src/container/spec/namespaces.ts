// @pure
// The container's namespaces from NetworkMode, IpcMode, PidMode, UTSMode and CgroupnsMode
// (moby daemon/oci_linux.go WithNamespaces). Modes "container:<ref>" join the namespace of
// another container's process, whose pid the caller resolves.
import { invalidArgument } from '../../errors/errors.ts';
import type { Namespace, NamespaceType } from '../../runtime/spec/types.ts';
import type { HostConfig } from '../docker-types.ts';

export interface NamespaceFacts {
  cgroupVersion: 1 | 2;
  /** A network namespace prepared by the network layer for this container (bridge networks). */
  netnsPath?: string;
  /** The pid of a running container given its reference, for container:<ref> modes. */
  containerPid?: (ref: string) => number;
}

export interface NamespacePlan { namespaces: Namespace[]; hostUts: boolean; ipc: 'private' | 'host' | 'none' | 'container'; network: 'private' | 'host' | 'container' | 'none'; pidPrivate: boolean }

const containerRef = (mode: string): string | undefined => (mode.startsWith('container:') ? mode.slice('container:'.length) : undefined);

export const defaultCgroupnsMode = (cgroupVersion: 1 | 2): 'private' | 'host' => (cgroupVersion === 2 ? 'private' : 'host');

export function planNamespaces(h: HostConfig, networkDisabled: boolean, f: NamespaceFacts): NamespacePlan {
  // Docker's default order: mount, network, uts, pid, ipc; then replaced in place or appended.
  const ns: Namespace[] = [{ type: 'mount' }, { type: 'network' }, { type: 'uts' }, { type: 'pid' }, { type: 'ipc' }];
  const set = (n: Namespace) => {
    const i = ns.findIndex((x) => x.type === n.type);
    if (i >= 0) ns[i] = n;
    else ns.push(n);
  };
  const remove = (t: NamespaceType) => {
    const i = ns.findIndex((x) => x.type === t);
    if (i >= 0) ns.splice(i, 1);
  };
  const join = (t: NamespaceType, file: string, ref: string) => {
    if (!f.containerPid) throw invalidArgument(`cannot join the ${t} namespace of container ${ref}`);
    set({ type: t, path: `/proc/${f.containerPid(ref)}/ns/${file}` });
  };

  let network: NamespacePlan['network'] = 'private';
  const net = h.NetworkMode ?? '';
  if (!networkDisabled) {
    const ref = containerRef(net);
    if (ref !== undefined) { join('network', 'net', ref); network = 'container'; }
    else if (net === 'host') { remove('network'); network = 'host'; }
    else if (net === 'none') { network = 'none'; if (f.netnsPath) set({ type: 'network', path: f.netnsPath }); }
    else if (f.netnsPath) set({ type: 'network', path: f.netnsPath });
  } else network = 'none';

  const ipcMode = h.IpcMode ?? '';
  let ipc: NamespacePlan['ipc'] = 'private';
  const ipcRef = containerRef(ipcMode);
  if (ipcRef !== undefined) { join('ipc', 'ipc', ipcRef); ipc = 'container'; }
  else if (ipcMode === 'host') { remove('ipc'); ipc = 'host'; }
  else if (ipcMode === 'none') ipc = 'none';
  else if (!['', 'private', 'shareable'].includes(ipcMode)) throw invalidArgument(`invalid IPC mode: ${ipcMode}`);

  const pidMode = h.PidMode ?? '';
  const pidRef = containerRef(pidMode);
  if (pidRef !== undefined) join('pid', 'pid', pidRef);
  else if (pidMode === 'host') remove('pid');
  else if (pidMode !== '' && pidMode !== 'private') throw invalidArgument(`invalid PID mode: ${pidMode}`);

  const uts = h.UTSMode ?? '';
  if (uts !== '' && uts !== 'host' && uts !== 'private') throw invalidArgument(`invalid UTS mode: ${uts}`);
  if (uts === 'host') remove('uts');

  const cg = h.CgroupnsMode || defaultCgroupnsMode(f.cgroupVersion);
  if (cg !== 'private' && cg !== 'host') throw invalidArgument(`invalid cgroup namespace mode: ${cg}`);
  if (cg === 'private') set({ type: 'cgroup' });

  return { namespaces: ns, hostUts: uts === 'host', ipc, network, pidPrivate: pidRef === undefined && pidMode !== 'host' };
}

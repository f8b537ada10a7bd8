// @pure
// What Docker fills into a new container's Config/HostConfig at create time
// (daemon_unix.go adaptContainerSettings, container hostname), so that inspect shows it and the
// spec built at each start is stable.
import type { ContainerConfig, HostConfig } from '../docker-types.ts';
import { DEFAULT_SHM_SIZE } from './mounts.ts';
import { defaultCgroupnsMode } from './namespaces.ts';

export interface CreateFacts { cgroupVersion: 1 | 2; hostHostname?: string; defaultIpcMode?: 'private' | 'shareable' }

export function applyCreateDefaults(id: string, config: ContainerConfig, host: HostConfig, f: CreateFacts): { config: ContainerConfig; hostConfig: HostConfig } {
  const c = structuredClone(config);
  const h = structuredClone(host);
  if (!h.NetworkMode) h.NetworkMode = 'bridge';
  if (!c.Hostname) c.Hostname = h.NetworkMode === 'host' ? (f.hostHostname ?? '') : id.slice(0, 12);
  if (!h.ShmSize) h.ShmSize = DEFAULT_SHM_SIZE;
  if ((h.Memory ?? 0) > 0 && !h.MemorySwap) h.MemorySwap = h.Memory! * 2;
  if (!h.IpcMode) h.IpcMode = f.defaultIpcMode ?? 'private';
  if (!h.CgroupnsMode) h.CgroupnsMode = defaultCgroupnsMode(f.cgroupVersion);
  if (!h.Runtime) h.Runtime = 'runc';
  if (!h.LogConfig?.Type) h.LogConfig = { Type: 'json-file', Config: h.LogConfig?.Config ?? {} };
  if (!h.RestartPolicy) h.RestartPolicy = { Name: 'no', MaximumRetryCount: 0 };
  return { config: c, hostConfig: h };
}

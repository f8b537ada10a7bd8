// The runtime half of a container start: the OCI spec from the record (with the network's
// files), the bundle on disk, and the runtime's create with the io op (the monitor holds the
// stdio, the json-file log and the attach socket). The rootfs, volumes and network are ready.
import { rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { ContainerRecord } from '../model.ts';
import { writeBundle } from '../bundle.ts';
import { parseJsonFileOptions } from '../logs/log-opts.ts';
import { imageEtcFile } from './rootfs-access.ts';
import type { ServiceDeps } from './service-types.ts';
import type { NetworkSetup } from './ports.ts';
import type { UserMount } from '../spec/mounts.ts';

export interface LaunchInput {
  deps: ServiceDeps;
  rec: ContainerRecord;
  rootfs: string;
  userMounts: UserMount[];
  net: NetworkSetup | undefined;
  bundleDir: string;
  attachPath: string;
  /** The pid of another container (for --network/--pid/--ipc container:<ref>). */
  pidOf(ref: string): number;
}

/** Creates the container in the runtime, waiting at its exec gate; returns the runtime state. */
export async function launch(i: LaunchInput): Promise<{ state: { pid: number } }> {
  const { deps, rec, rootfs, net } = i;
  const { runtime } = deps;
  const id = rec.ID;
  // Loaded at the first start (with the seccomp tables): an idle daemon does without it.
  const { buildSpec } = await import('../oci-spec.ts');
  const [passwd, group] = await Promise.all([imageEtcFile(rootfs, 'passwd'), imageEtcFile(rootfs, 'group')]);
  const built = buildSpec({
    id, config: rec.Config, hostConfig: rec.HostConfig, rootfs, mounts: i.userMounts, passwd, group,
    facts: { ...deps.facts, hostCaps: deps.facts.hostCaps, netnsPath: net?.netnsPath, containerPid: (ref) => i.pidOf(ref) },
  });
  for (const f of net?.files ?? []) {
    if (!built.spec.mounts?.some((m) => m.destination === f.dest)) built.spec.mounts?.push({ destination: f.dest, type: 'bind', source: f.source, options: ['rbind', 'rprivate'] });
  }
  const bundle = writeBundle({ record: rec, dir: i.bundleDir, rootfs, spec: built.spec });
  const logOpts = parseJsonFileOptions(rec.HostConfig.LogConfig?.Config ?? {});
  if (existsSync(runtime.ctx.store.dir(id))) { // a leftover from a crash between runs
    await runtime.delete(id, true).catch(() => {});
    await rm(runtime.ctx.store.dir(id), { recursive: true, force: true }).catch(() => {});
  }
  return runtime.create({
    id, bundle: bundle.dir, spec: bundle.spec, init: built.init, stdio: ['ignore', 'ignore', 'ignore'],
    io: {
      logPath: rec.LogPath, maxSize: logOpts.maxSize, maxFiles: logOpts.maxFile, attachPath: i.attachPath,
      tty: rec.Config.Tty ?? false, openStdin: rec.Config.OpenStdin ?? false,
    },
    onSetup: net?.onSetup,
  });
}

// The composition root of berthd's engine: builds the image service, runtime and container
// service (engine.ts), registers their routes and backs /info's counts. main.ts passes
// registerEngine to runDaemonCli.
import { join } from 'node:path';
import type { Router } from './router.ts';
import type { DaemonDeps, RegisterResult } from './start-daemon.ts';
import { createEngine, type Engine } from './engine.ts';
import { registerContainerRoutes } from './routes/containers.ts';
import { registerVolumeRoutes } from './routes/volumes.ts';
import { registerImageRoutes } from './routes/images.ts';
import { registryClientFrom } from './routes/images-registry.ts';
import { registerExecRoutes } from './routes/exec.ts';
import { registerStatsRoute } from './routes/stats.ts';
import { registerContainerFsRoutes } from './routes/containers-fs.ts';
import { registerArchiveRoutes } from './routes/containers-archive.ts';
import { registerCommitRoute } from './routes/commit.ts';
import { registerNetworkRoutes } from './routes/networks.ts';

/** Route registrars for the other engine parts (images, exec, ...), each given the engine. */
export type EngineRoutes = (router: Router, engine: Engine, deps: DaemonDeps) => void;
const EXTRA_ROUTES: EngineRoutes[] = [];

export function addEngineRoutes(r: EngineRoutes): void { EXTRA_ROUTES.push(r); }
addEngineRoutes(registerImageRoutes);
addEngineRoutes(registerNetworkRoutes);

export async function registerEngine(router: Router, deps: DaemonDeps): Promise<RegisterResult> {
  const { options, logger, events } = deps;
  const engine = createEngine({
    dataRoot: options.dataRoot, execRoot: options.execRoot,
    events: { publish: (e) => events.publish(e) },
    warn: (m) => logger.warn(m),
    registryClient: registryClientFrom(options.extra),
    extra: options.extra,
  });
  // Opt-in (see favor-dynmods.ts): faster cgroup joins on v1 hosts, at a host-wide price.
  const dynmods = options.extra['cgroup-favordynmods'] === true && engine.runtime.ctx.cgroupLayout?.mode === 'v1'
    ? await (await import('../runtime/cgroups/favor-dynmods.ts')).favorDynmods(join(options.execRoot, 'cgroup-dynmods')).catch((e: Error) => { logger.warn(e.message); return undefined; })
    : undefined;
  await engine.containers.restore();
  for (const rec of engine.containers.records.values()) if (rec.State.Running) engine.health.watch(rec.ID);
  registerContainerRoutes(router, engine, deps);
  registerVolumeRoutes(router, engine);
  registerExecRoutes(router, engine);
  registerStatsRoute(router, engine);
  registerContainerFsRoutes(router, engine);
  registerArchiveRoutes(router, engine);
  registerCommitRoute(router, engine);
  for (const r of EXTRA_ROUTES) r(router, engine, deps);
  logger.info(`engine ready: ${engine.containers.records.size} container(s) restored from ${join(options.dataRoot, 'containers')}`);
  return {
    system: {
      async counts() {
        const recs = [...engine.containers.records.values()];
        const running = recs.filter((r) => r.State.Running && !r.State.Paused).length;
        const paused = recs.filter((r) => r.State.Paused).length;
        return { containers: recs.length, running, paused, stopped: recs.length - running - paused, images: (await engine.images.list()).length };
      },
    },
    async close() { await engine.close(); await dynmods?.release(); },
  };
}

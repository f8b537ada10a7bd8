// GET /containers/{id}/stats: one sample with its predecessor (stream=false, as `docker stats
// --no-stream` wants for CPU %), a single reading (one-shot), or a sample every second.
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import type { Router } from '../router.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import { statsView, systemCpuNs, type Sample } from './stats-view.ts';

export function registerStatsRoute(router: Router, engine: Engine): void {
  const c = engine.containers;
  const v2 = engine.runtime.ctx.cgroupLayout?.mode === 'v2';
  const sample = async (id: string, running: boolean): Promise<Sample> => ({
    at: new Date(),
    cg: running ? await engine.runtime.stats(id).catch(() => null) : null,
    systemNs: systemCpuNs(await readFile('/proc/stat', 'utf8')),
  });

  router.add('GET', '/containers/{id}/stats', (ctx) => {
    const rec = c.get(ctx.params.id);
    const stream = ctx.query.bool('stream', true);
    const oneShot = ctx.query.bool('one-shot');
    const view = (cur: Sample, prev?: Sample) => statsView({ id: rec.ID, name: rec.Name, cur, prev, onlineCpus: cpus().length, hostMemory: totalmem(), cgroupV2: v2 });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    async function* items(): AsyncGenerator<unknown> {
      let prev: Sample | undefined;
      for (;;) {
        const cur = await sample(rec.ID, rec.State.Running);
        if (!stream && !oneShot && !prev) { prev = cur; await sleep(1000); continue; }
        yield view(cur, prev);
        if (!stream || ctx.signal.aborted || !rec.State.Running) return;
        prev = cur;
        await sleep(1000);
      }
    }
    return Reply.jsonStream(items());
  });
}

// Runs the health probes of running containers (as exec processes) on their timers and records
// the outcome in the container's state, publishing `health_status: <status>` on changes.
import type { ContainerService } from './container-service.ts';
import type { ExecService } from './exec-service.ts';
import type { EventSink } from './ports.ts';
import { healthPlan, applyProbe, initialHealth, MAX_OUTPUT } from '../health.ts';
import { rfc3339Nano } from '../model.ts';

export class HealthRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly containers: ContainerService;
  private readonly execs: ExecService;
  private readonly events: EventSink;

  constructor(containers: ContainerService, execs: ExecService, events: EventSink) {
    this.containers = containers;
    this.execs = execs;
    this.events = events;
  }

  watch(id: string): void {
    const rec = this.containers.records.get(id);
    const plan = healthPlan(rec?.Config.Healthcheck);
    if (!rec || !plan) return;
    this.unwatch(id);
    const started = Date.now();
    if (!rec.State.Health) void this.containers.setHealth(id, initialHealth());
    const schedule = () => {
      const inStart = Date.now() - started < plan.startPeriodMs;
      this.timers.set(id, setTimeout(() => { void probe(); }, inStart ? Math.min(plan.startIntervalMs, plan.intervalMs) : plan.intervalMs).unref());
    };
    const probe = async () => {
      const cur = this.containers.records.get(id);
      if (!cur?.State.Running || !this.timers.has(id)) return;
      const Start = rfc3339Nano(new Date());
      let output = '';
      let exitCode = -1;
      try {
        const { Id } = this.execs.create(id, { Cmd: plan.cmd, AttachStdout: true, AttachStderr: true });
        await this.execs.start(Id, { session: { stdout: true, stderr: true, onData: (_s, d) => { if (output.length < MAX_OUTPUT) output += d.toString(); }, onEnd: () => {} } });
        const e = this.execs.get(Id);
        const done = await Promise.race([e.exited!.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), plan.timeoutMs).unref())]);
        if (done) exitCode = e.ExitCode ?? -1;
        else output = `Health check exceeded timeout (${plan.timeoutMs / 1000}s)`;
        this.execs.execs.delete(Id);
      } catch (err) {
        output = (err as Error).message;
      }
      const fresh = this.containers.records.get(id);
      if (!fresh?.State.Running || !this.timers.has(id)) return;
      const before = fresh.State.Health?.Status;
      const next = applyProbe(fresh.State.Health ?? initialHealth(), { Start, End: rfc3339Nano(new Date()), ExitCode: exitCode, Output: output }, plan.retries, Date.now() - started < plan.startPeriodMs);
      // The event goes out with the state change, before the (slower) write to disk.
      const saved = this.containers.setHealth(id, next);
      if (next.Status !== before) {
        this.events.publish({ Type: 'container', Action: `health_status: ${next.Status}`, Actor: { ID: id, Attributes: { name: fresh.Name.slice(1), image: fresh.Config.Image ?? '' } } });
      }
      await saved;
      schedule();
    };
    schedule();
  }

  unwatch(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

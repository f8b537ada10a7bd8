// The in-process event bus: services publish (`container start`, `image pull`), GET /events
// subscribes. Like Docker it keeps the last 256 events to replay for `since`.
import type { EventMessage, EventType } from '../api/system-types.ts';

export interface EventInput {
  Type: EventType;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  scope?: 'local' | 'swarm';
}

export interface SubscribeOptions {
  /** Replay buffered events at or after this time (ns since the epoch). */
  since?: bigint;
  /** Replay and stream only up to this time (ns); the stream ends once it has passed. */
  until?: bigint;
  filter?: (ev: EventMessage) => boolean;
  signal?: AbortSignal;
}

type Listener = (ev: EventMessage) => void;

export class EventBus {
  private readonly buffer: EventMessage[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly size: number;
  private readonly nowNs: () => bigint;

  constructor(opts: { bufferSize?: number; nowNs?: () => bigint } = {}) {
    this.size = opts.bufferSize ?? 256;
    let last = 0n;
    // Wall-clock nanoseconds, strictly increasing so `since` never splits two events.
    this.nowNs = opts.nowNs ?? (() => {
      const t = BigInt(Date.now()) * 1_000_000n;
      last = t > last ? t : last + 1n;
      return last;
    });
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  publish(input: EventInput): EventMessage {
    const ns = this.nowNs();
    const Actor = { ID: input.Actor.ID, Attributes: { ...(input.Actor.Attributes ?? {}) } };
    // Docker still fills the deprecated status/id/from for container and image events.
    const legacy = input.Type === 'container' ? { status: input.Action, id: Actor.ID, from: Actor.Attributes.image }
      : input.Type === 'image' ? { status: input.Action, id: Actor.ID } : {};
    const ev: EventMessage = {
      ...legacy, Type: input.Type, Action: input.Action, Actor,
      scope: input.scope ?? 'local', time: Number(ns / 1_000_000_000n), timeNano: Number(ns),
    };
    this.buffer.push(ev);
    if (this.buffer.length > this.size) this.buffer.shift();
    for (const l of this.listeners) l(ev);
    return ev;
  }

  /** Buffered events in [since, until], oldest first (none when neither is given, as Docker). */
  past(since?: bigint, until?: bigint, filter?: (ev: EventMessage) => boolean): EventMessage[] {
    if (since === undefined && until === undefined) return [];
    return this.buffer.filter((ev) => {
      const t = BigInt(ev.timeNano);
      return (since === undefined || t >= since) && (until === undefined || t <= until) && (!filter || filter(ev));
    });
  }

  /**
   * Replays then streams events. Ends when `until` has passed, or at once when it is already in
   * the past, or when `signal` aborts.
   */
  async *subscribe(opts: SubscribeOptions = {}): AsyncGenerator<EventMessage> {
    const queue: EventMessage[] = [];
    let wake: (() => void) | undefined;
    const listener: Listener = (ev) => {
      if (opts.until !== undefined && BigInt(ev.timeNano) > opts.until) return;
      if (opts.filter && !opts.filter(ev)) return;
      queue.push(ev);
      wake?.();
    };
    this.listeners.add(listener);
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const end = () => { ended = true; wake?.(); };
    opts.signal?.addEventListener('abort', end, { once: true });
    try {
      for (const ev of this.past(opts.since, opts.until, opts.filter)) yield ev;
      if (opts.until !== undefined) {
        const left = Number((opts.until - BigInt(Date.now()) * 1_000_000n) / 1_000_000n);
        if (left <= 0) return;
        timer = setTimeout(end, left);
      }
      while (!ended && !opts.signal?.aborted) {
        if (!queue.length) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        while (queue.length) yield queue.shift()!;
      }
    } finally {
      this.listeners.delete(listener);
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', end);
    }
  }
}

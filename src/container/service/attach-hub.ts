// Attach relays per container, and the sessions that attached before the container started.
import { AttachRelay, type AttachSession } from './attach-relay.ts';

export class AttachHub {
  private readonly relays = new Map<string, AttachRelay>();
  private readonly pending = new Map<string, Set<AttachSession>>();

  /** Connects to the monitor's attach socket (before the exec gate opens, or after a restart). */
  async connect(id: string, path: string): Promise<void> {
    this.drop(id);
    const relay = await AttachRelay.connect(path);
    this.relays.set(id, relay);
    for (const s of this.pending.get(id) ?? []) relay.add(s);
    this.pending.delete(id);
  }

  get(id: string): AttachRelay | undefined { return this.relays.get(id); }

  /** Adds a session now, or when the container starts; returns the detach function. */
  add(id: string, s: AttachSession): () => void {
    const relay = this.relays.get(id);
    if (relay && !relay.closed) return relay.add(s);
    let set = this.pending.get(id);
    if (!set) this.pending.set(id, (set = new Set()));
    set.add(s);
    return () => { set.delete(s); this.relays.get(id)?.remove(s); };
  }

  drop(id: string): void {
    this.relays.get(id)?.close();
    this.relays.delete(id);
  }

  /** The container is gone: sessions still waiting for a start end now. */
  forget(id: string): void {
    this.drop(id);
    for (const s of this.pending.get(id) ?? []) s.onEnd();
    this.pending.delete(id);
  }

  close(): void {
    for (const r of this.relays.values()) r.close();
    this.relays.clear();
  }
}

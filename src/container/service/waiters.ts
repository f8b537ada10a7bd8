// Docker's wait conditions: callers waiting for a container's next exit, for it to stop
// running, or for its removal.
export type WaitCondition = 'not-running' | 'next-exit' | 'removed';
export interface WaitResult { StatusCode: number; Error: { Message: string } | null }

export class Waiters {
  private readonly byId = new Map<string, Set<{ cond: WaitCondition; resolve: (r: WaitResult) => void }>>();

  add(id: string, cond: WaitCondition): Promise<WaitResult> {
    return new Promise((resolve) => {
      let set = this.byId.get(id);
      if (!set) this.byId.set(id, (set = new Set()));
      set.add({ cond, resolve });
    });
  }

  notify(id: string, conds: WaitCondition[], result: WaitResult): void {
    const set = this.byId.get(id);
    for (const w of [...(set ?? [])]) {
      if (!conds.includes(w.cond)) continue;
      set!.delete(w);
      w.resolve(result);
    }
    if (set && set.size === 0) this.byId.delete(id);
  }
}

// Deletions that need not finish before an answer: a removed container's files are renamed out of
// the way (its removal is then complete for every reader, and across a crash: what is left under
// the renamed path is swept at the next start), and deleted in the background. idle() waits for
// them (daemon shutdown, tests).
export class Sweeper {
  readonly #pending = new Set<Promise<unknown>>();

  track(p: Promise<unknown>): void {
    const q = p.catch(() => {}).finally(() => this.#pending.delete(q));
    this.#pending.add(q);
  }

  async idle(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }
}

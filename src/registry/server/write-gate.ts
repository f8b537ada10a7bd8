// Writes that make content reachable (blob commits, mounts, manifest pushes) pass this gate.
// While garbage collection holds `_gc.lock` (another process or this one), they wait for it to
// end, and give up with 503 after `waitMs`. A lock whose process is gone is ignored.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { RegistryError } from '../protocol/errors.ts';
import type { Layout } from '../storage/layout.ts';

function lockHolder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    try {
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  } catch {
    return undefined;
  }
}

export class WriteGate {
  private readonly path: string;
  private readonly waitMs: number;
  constructor(layout: Layout, waitMs: number) {
    this.path = layout.gcLock();
    this.waitMs = waitMs;
  }

  locked(): boolean {
    return lockHolder(this.path) !== undefined;
  }

  async enter(signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + this.waitMs;
    while (this.locked()) {
      if (Date.now() > deadline) {
        throw new RegistryError('UNAVAILABLE', 'garbage collection in progress; retry later', { headers: { 'Retry-After': '5' } });
      }
      await sleep(100, undefined, { signal });
    }
  }
}

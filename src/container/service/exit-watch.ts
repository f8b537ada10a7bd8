// Tells when a container's monitor has written its exit file: fs.watch on the state directory,
// with a slow poll as a safety net (watches can miss events across renames on some filesystems).
import { watch, existsSync, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export function watchExit(exitFile: string, onExit: () => void, pollMs = 500): () => void {
  let done = false;
  let watcher: FSWatcher | undefined;
  const fire = () => {
    if (done || !existsSync(exitFile)) return;
    stop();
    onExit();
  };
  const timer = setInterval(fire, pollMs);
  timer.unref();
  try {
    watcher = watch(dirname(exitFile), (_event, name) => { if (name === basename(exitFile)) fire(); });
    watcher.on('error', () => {});
  } catch { /* the directory went away: the poll decides */ }
  function stop(): void {
    done = true;
    clearInterval(timer);
    watcher?.close();
  }
  queueMicrotask(fire);
  return stop;
}

/** A per-key queue: operations on one container run one at a time, in order. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return next;
  }
}

// What every lifecycle operation is given: the state store, the helper binary, the cgroup
// layout and the parent under which container cgroups are made, and where warnings go.
import type { StateStore } from '../state/store.ts';
import type { CgroupLayout } from '../cgroups/index.ts';
import type { HelperSpawner } from '../../native/helper-process.ts';

export interface RuntimeContext {
  store: StateStore;
  helperPath: string;
  cgroupLayout: CgroupLayout | null;         // null: no cgroups at all (resources refused)
  cgroupParents: Record<string, string>;     // controller -> parent path relative to its mount
  warn: (msg: string) => void;
  /** Makes detached helpers without a process start (berthd's op server); else spawned. */
  spawner?: HelperSpawner;
}

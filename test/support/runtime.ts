// A Runtime for tests: its own state root under /tmp/<testName>, container cgroups beneath
// this process's own cgroup (the default), and helpers to run a container and read its output.
import { openSync, closeSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Runtime } from '../../src/runtime/runtime.ts';
import { helperPath } from '../../src/native/helper-path.ts';
import { testName } from './requires.ts';
import type { TestBundle } from './bundle.ts';

export interface TestRuntime { rt: Runtime; root: string; warnings: string[]; cleanup(): Promise<void> }

export function makeRuntime(): TestRuntime {
  const root = join('/tmp', testName('state'));
  mkdirSync(root, { recursive: true });
  const warnings: string[] = [];
  const rt = new Runtime({ root, helperPath: helperPath(), warn: (m) => warnings.push(m) });
  return {
    rt, root, warnings,
    async cleanup() {
      for (const id of await rt.list()) await rt.delete(id, true).catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs the bundle to completion; returns exit code, OOM flag and what it printed. */
export async function runCaptured(rt: Runtime, b: TestBundle, init = false): Promise<{ exitCode: number; oomKilled: boolean; out: string; err: string }> {
  const outPath = join(b.dir, 'stdout'), errPath = join(b.dir, 'stderr');
  const out = openSync(outPath, 'w'), err = openSync(errPath, 'w');
  try {
    const r = await rt.run({ id: b.id, bundle: b.dir, stdio: ['ignore', out, err], init });
    return { ...r, out: readFileSync(outPath, 'utf8'), err: readFileSync(errPath, 'utf8') };
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

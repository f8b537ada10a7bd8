// Carries out a CgroupPlan: make the dirs, write the files, move processes in, remove the
// container's dirs again.
import { readdirSync, rmdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
// Reads, writes and removals in place: cgroupfs calls are in-kernel and immediate (see
// fs-io.ts). A mkdir makes a css per controller (~0.3 ms): on the thread pool, hierarchies
// side by side, so 20 containers starting at once do not hold the event loop.
import { join } from 'node:path';
import type { CgroupPlan, CgroupWrite } from './types.ts';
import { BerthError, wrap } from '../../errors/errors.ts';
import { parentOf, leafDirs } from './paths.ts';
import { errno, exists, readOptional, readText, sleep, writeText } from './fs-io.ts';

/** v1 cpuset dirs start with empty cpus/mems, and no task may join until they are set. */
async function inheritCpuset(dir: string): Promise<void> {
  for (const f of ['cpuset.cpus', 'cpuset.mems']) {
    if ((await readOptional(join(dir, f))) === '') {
      const fromParent = await readText(join(parentOf(dir), f));
      if (fromParent) await writeText(join(dir, f), fromParent);
    }
  }
}

async function enableControllers(w: CgroupWrite): Promise<void> {
  const dir = parentOf(w.file);
  const available = (await readText(join(dir, 'cgroup.controllers'))).split(/\s+/);
  const enabled = (await readText(w.file)).split(/\s+/);
  const want = w.value.split(/\s+/).map((t) => t.replace(/^\+/, ''))
    .filter((c) => c && available.includes(c) && !enabled.includes(c));
  if (want.length) await writeText(w.file, want.map((c) => `+${c}`).join(' '));
}

async function applyWrite(w: CgroupWrite): Promise<void> {
  if (w.enableControllers) return enableControllers(w);
  if ((w.optional || w.fallback) && !(await exists(w.file))) {
    if (w.fallback && (await exists(w.fallback.file))) return writeText(w.fallback.file, w.fallback.value);
    if (w.optional) return;
  }
  await writeText(w.file, w.value);
}

/** Makes the plan's dirs (those that already exist are left as they are), then writes the
 *  files in order. On failure, removes the dirs it made and throws with the file's name. */
/** The hierarchy (v1 mount point, or the v2 root) a cgroup path belongs to. */
function hierarchyOf(plan: CgroupPlan, path: string): string {
  if (plan.layout.mode === 'v2') return plan.layout.root;
  const mounts = Object.values(plan.layout.v1Mounts ?? {});
  return mounts.filter((m) => path === m || path.startsWith(`${m}/`)).sort((a, b) => b.length - a.length)[0] ?? path;
}

export async function applyCgroup(plan: CgroupPlan): Promise<void> {
  const made: string[] = [];
  const cpusetMount = plan.layout.mode === 'v1' ? plan.layout.v1Mounts?.cpuset : undefined;
  try {
    // Hierarchies are independent: each one's dirs (parents first) and then its writes (in
    // order) run in turn, the hierarchies side by side.
    const groups = new Map<string, { dirs: string[]; writes: CgroupPlan['writes'] }>();
    const group = (path: string) => {
      const key = hierarchyOf(plan, path);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { dirs: [], writes: [] }));
      return g;
    };
    for (const dir of plan.dirs) group(dir).dirs.push(dir);
    for (const w of plan.writes) group(w.file).writes.push(w);
    // All hierarchies run to the end (settled) before any failure is acted on: a mkdir still
    // in flight when another hierarchy failed would otherwise be left behind.
    const results = await Promise.allSettled([...groups.values()].map(async (g) => {
      let step = '';
      try {
        for (const dir of g.dirs) {
          step = `create cgroup ${dir}`;
          try {
            await mkdir(dir);
            made.push(dir);
          } catch (e) {
            if (errno(e) !== 'EEXIST') throw e;
            continue;
          }
          if (cpusetMount && dir.startsWith(`${cpusetMount}/`)) {
            step = `initialise cpuset of ${dir}`;
            await inheritCpuset(dir);
          }
        }
        for (const w of g.writes) {
          step = `write ${JSON.stringify(w.value)} to ${w.file}`;
          await applyWrite(w);
        }
      } catch (e) {
        throw Object.assign(new Error(step), { failure: e });
      }
    }));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } catch (x) {
    for (const dir of made.sort((a, b) => b.length - a.length)) { try { rmdirSync(dir); } catch { /* best effort */ } }
    // A hierarchy's failure carries its step; anything else is reported as it is.
    const step = (x as { failure?: unknown }).failure !== undefined ? (x as Error).message : 'apply';
    const e = (x as { failure?: unknown }).failure ?? x;
    // The kernel says ERANGE for values out of its range (cpuset.cpus 4095): the caller's fault.
    if (errno(e) === 'ERANGE') throw new BerthError('InvalidArgument', `cgroup: ${step}: ${(e as Error).message}`, { cause: e });
    throw wrap(`cgroup: ${step}`, e);
  }
}

/** Moves `pid` into the container's cgroup in every hierarchy. */
export async function joinCgroup(plan: CgroupPlan, pid: number): Promise<void> {
  // One migration per v1 hierarchy, each waiting on the kernel (RCU): in parallel, not in turn.
  await Promise.all(plan.procsFiles.map(async (f) => {
    try {
      await writeText(f, String(pid));
    } catch (e) {
      throw wrap(`cgroup: add pid ${pid} to ${f}`, e);
    }
  }));
}

/** Removes `dir` and any cgroups made inside it, children first; EBUSY (processes still
 *  exiting) is retried until `deadline`. ENOENT counts as done. */
async function removeTree(dir: string, deadline: number): Promise<void> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (errno(e) === 'ENOENT') return;
    throw e;
  }
  for (const ent of entries) if (ent.isDirectory()) await removeTree(join(dir, ent.name), deadline);
  for (let delay = 1; ; delay = Math.min(delay * 2, 100)) {
    try {
      rmdirSync(dir);
      return;
    } catch (e) {
      if (errno(e) === 'ENOENT') return;
      if (errno(e) !== 'EBUSY' || Date.now() > deadline) throw e;
      await sleep(delay);
    }
  }
}

/** Kills nothing: removes the container's own cgroup dir(s), never the parents. */
export async function destroyCgroup(plan: CgroupPlan): Promise<void> {
  const errors: unknown[] = [];
  for (const dir of leafDirs(plan)) {
    try {
      await removeTree(dir, Date.now() + 2000);
    } catch (e) {
      errors.push(wrap(`cgroup: remove ${dir}`, e));
    }
  }
  if (errors.length) throw errors[0];
}

// Pause and resume: v1 freezer.state, v2 cgroup.freeze (+ cgroup.events to see it done).
import { join } from 'node:path';
import type { CgroupPlan } from './types.ts';
import { failedPrecondition, unavailable, wrap } from '../../errors/errors.ts';
import { leafFor } from './paths.ts';
import { readOptional, readText, sleep, writeText } from './fs-io.ts';

const FREEZE_TIMEOUT_MS = 5000;

function freezerDir(plan: CgroupPlan): string {
  const dir = leafFor(plan, 'freezer');
  if (!dir) throw failedPrecondition('cgroup: no freezer hierarchy is mounted');
  return dir;
}

function eventsFrozen(events: string | undefined): boolean {
  return /^frozen 1$/m.test(events ?? '');
}

async function waitFor(check: () => Promise<boolean>, nudge: () => Promise<void>): Promise<boolean> {
  const deadline = Date.now() + FREEZE_TIMEOUT_MS;
  for (let i = 1; Date.now() < deadline; i++) {
    if (await check()) return true;
    // New children forked while freezing can leave v1 stuck in FREEZING; asking again helps.
    if (i % 20 === 0) await nudge();
    await sleep(Math.min(i, 10));
  }
  return check();
}

/** Freezes every process in the container cgroup and waits until the kernel says so. */
export async function freeze(plan: CgroupPlan): Promise<void> {
  const dir = freezerDir(plan);
  const v2 = plan.layout.mode === 'v2';
  const file = join(dir, v2 ? 'cgroup.freeze' : 'freezer.state');
  const on = v2 ? '1' : 'FROZEN';
  try {
    await writeText(file, on);
    const done = await waitFor(
      async () => (v2 ? eventsFrozen(await readOptional(join(dir, 'cgroup.events'))) : (await readText(file)) === 'FROZEN'),
      () => writeText(file, on),
    );
    if (done) return;
  } catch (e) {
    await writeText(file, v2 ? '0' : 'THAWED').catch(() => {});
    throw wrap(`cgroup: freeze ${dir}`, e);
  }
  await writeText(file, v2 ? '0' : 'THAWED').catch(() => {});
  throw unavailable(`cgroup: freeze ${dir}: not frozen after ${FREEZE_TIMEOUT_MS} ms`);
}

/** Lets the container's processes run again. */
export async function thaw(plan: CgroupPlan): Promise<void> {
  const dir = freezerDir(plan);
  const v2 = plan.layout.mode === 'v2';
  const file = join(dir, v2 ? 'cgroup.freeze' : 'freezer.state');
  try {
    await writeText(file, v2 ? '0' : 'THAWED');
    const done = await waitFor(
      async () => (v2 ? !eventsFrozen(await readOptional(join(dir, 'cgroup.events'))) : (await readText(file)) === 'THAWED'),
      () => writeText(file, v2 ? '0' : 'THAWED'),
    );
    if (!done) throw unavailable(`not thawed after ${FREEZE_TIMEOUT_MS} ms`);
  } catch (e) {
    throw wrap(`cgroup: thaw ${dir}`, e);
  }
}

/** Whether the container cgroup is (asked to be) frozen; false when it is gone. */
export async function isFrozen(plan: CgroupPlan): Promise<boolean> {
  const dir = leafFor(plan, 'freezer');
  if (!dir) return false;
  if (plan.layout.mode === 'v2') return (await readOptional(join(dir, 'cgroup.freeze'))) === '1';
  return (await readOptional(join(dir, 'freezer.state'))) === 'FROZEN';
}

// The cgroups module: detect the layout, plan a container cgroup (pure), apply it, and
// freeze, inspect and remove it. See types.ts for the data shapes.
export type { CgroupLayout, CgroupPlan, CgroupWrite, CgroupStats } from './types.ts';
export { detectLayout, ownCgroup } from './layout.ts';
export { planCgroup, planFromPath } from './plan.ts';
export { applyCgroup, joinCgroup, destroyCgroup } from './apply.ts';
export { freeze, thaw, isFrozen } from './freezer.ts';
export { readStats, oomKillCount, listPids } from './stats.ts';
export { leafDirs, leafFor } from './paths.ts';
export { sharesToWeight, blkioToIoWeight, swapToV2, cpuMax } from './convert.ts';

// The I/O half of planning: looks at the host once and hands the planner plain facts.
import { statSync, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Spec } from '../spec/types.ts';
import type { PlanFacts } from './facts.ts';
import type { CgroupPlan } from '../cgroups/index.ts';
import { parseLimits, ownEffectiveCaps } from '../../sys/proc.ts';
import { parseMountOptions } from './mount-options.ts';
import { checkPathInRoot } from './root-paths.ts';

const CAP_SYS_RESOURCE = 24n;

function kind(path: string): 'dir' | 'file' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

export function cgroupDirs(plan: CgroupPlan | null): PlanFacts['cgroupDirs'] {
  if (!plan) return [];
  if (plan.layout.mode === 'v2') return plan.procsFiles.slice(0, 1).map((f) => ({ name: '', hostDir: dirname(f) }));
  const mounts = plan.layout.v1Mounts ?? {};
  return plan.procsFiles.map((f) => {
    const hostDir = dirname(f);
    const mount = Object.values(mounts).filter((m) => hostDir.startsWith(`${m}/`) || hostDir === m).sort((a, b) => b.length - a.length)[0];
    return { name: mount ? mount.slice(mount.lastIndexOf('/') + 1) : hostDir.split('/')[4], hostDir };
  });
}

export function gatherFacts(spec: Spec | { mounts?: Spec['mounts'] }, rootfs: string, cgroup: CgroupPlan | null): PlanFacts {
  const sourceKinds: PlanFacts['sourceKinds'] = {};
  for (const m of spec.mounts ?? []) {
    checkPathInRoot(rootfs, m.destination, 'mount target');
    const bind = m.type === 'bind' || m.type === 'rbind' || parseMountOptions(m.options).bind;
    if (bind && m.source) sourceKinds[m.source] = kind(m.source);
  }
  return {
    rootfs,
    sourceKinds,
    cgroupDirs: cgroupDirs(cgroup),
    arch: process.arch === 'arm64' ? 'aarch64' : 'x86_64',
    hardLimits: parseLimits(readFileSync('/proc/self/limits', 'utf8')),
    canRaiseLimits: (ownEffectiveCaps() >> CAP_SYS_RESOURCE & 1n) === 1n,
    hostHasKcore: existsSync('/proc/kcore'),
  };
}

// @pure
// What the planner needs to know about the host, gathered beforehand by gather-facts.ts,
// so that planning itself stays a pure function that unit tests can read.

export interface PlanFacts {
  rootfs: string;                                    // absolute host path of the root filesystem
  sourceKinds: Record<string, 'dir' | 'file' | 'missing'>; // bind-mount sources (host paths)
  cgroupDirs: { name: string; hostDir: string }[];   // the container's cgroup dir per hierarchy (v1: per controller; v2: one with name '')
  arch: 'x86_64' | 'aarch64';
  hardLimits: Record<string, number>;                // the caller's hard rlimits, by RLIMIT_* name
  canRaiseLimits: boolean;                           // CAP_SYS_RESOURCE in the caller
  hostHasKcore: boolean;
}

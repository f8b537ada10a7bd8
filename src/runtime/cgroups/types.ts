// @pure
// The data the cgroups module hands around. A CgroupPlan is stored in the container's
// state.json, so everything here is plain JSON.

/** How cgroups are mounted on this host. Hybrid hosts (v1 controllers plus an empty or
 *  near-empty cgroup2 mount) are 'v1'. */
export interface CgroupLayout {
  mode: 'v1' | 'v2';
  /** Where the hierarchies live, normally '/sys/fs/cgroup' (for v2: the cgroup2 mount). */
  root: string;
  /** v1: controller ('memory', 'cpu', 'name=systemd', ...) → its mount dir. Co-mounted
   *  controllers share a dir (cpu and cpuacct → '/sys/fs/cgroup/cpu,cpuacct'). */
  v1Mounts?: Record<string, string>;
  /** The path inside the hierarchy that each mount shows as its '/' (mountinfo field 4);
   *  keyed like v1Mounts, '' for v2. Absent or '/' on an ordinary host. */
  mountRoots?: Record<string, string>;
}

/** One file write. `file` is absolute. */
export interface CgroupWrite {
  file: string;
  value: string;
  /** Skip silently when `file` does not exist (memory.memsw.limit_in_bytes without swap
   *  accounting, memory.swap.max without swap, blkio.leaf_weight on newer kernels). */
  optional?: boolean;
  /** Written instead when `file` does not exist (blkio.weight → blkio.bfq.weight). */
  fallback?: { file: string; value: string };
  /** For cgroup.subtree_control: `value` is '+memory +cpu ...'; only the controllers that
   *  the sibling cgroup.controllers lists and subtree_control lacks are written, and
   *  nothing at all when none remain. */
  enableControllers?: boolean;
}

export interface CgroupPlan {
  layout: CgroupLayout;
  /** Absolute dirs to create (if missing), parents first. The last dir of each hierarchy
   *  is the container's own cgroup (the leaf). */
  dirs: string[];
  /** Applied in order after the dirs exist. */
  writes: CgroupWrite[];
  /** The leaves' cgroup.procs files: one per v1 hierarchy, one for v2. */
  procsFiles: string[];
}

/** A snapshot of a container cgroup's counters. Byte counts in bytes, times in ns.
 *  Counters a host does not provide read as 0 (lists as []). */
export interface CgroupStats {
  memory: {
    /** Current charge including page cache (v1 memory.usage_in_bytes, v2 memory.current). */
    usage: number;
    /** Peak charge (v1 memory.max_usage_in_bytes, v2 memory.peak; 0 when absent). */
    maxUsage: number;
    /** The limit in bytes, null when unlimited (the daemon substitutes host memory). */
    limit: number | null;
    /** Page cache (v1 total_cache, v2 file). */
    cache: number;
    /** Inactive page cache (v1 total_inactive_file, v2 inactive_file): Docker reports
     *  usage - inactiveFile as the container's memory use. */
    inactiveFile: number;
    /** Times the limit was hit / the OOM killer acted. */
    failcnt: number;
    oomKills: number;
    /** The raw memory.stat counters. */
    stat: Record<string, number>;
  };
  cpu: {
    /** Total CPU time of the cgroup (v1 cpuacct.usage, v2 usage_usec × 1000). */
    usageTotal: number;
    /** Per-CPU usage (v1 cpuacct.usage_percpu; [] on v2, which has no such file). */
    usagePerCpu: number[];
    usageUser: number;
    usageSystem: number;
    throttling: { periods: number; throttledPeriods: number; throttledTime: number };
  };
  pids: { current: number; /** null when unlimited */ limit: number | null };
  blkio: { readBytes: number; writeBytes: number; readOps: number; writeOps: number };
}

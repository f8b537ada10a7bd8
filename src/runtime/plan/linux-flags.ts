// @pure
// The Linux constants the planner needs (values from <linux/sched.h>, <sys/mount.h>,
// <sys/resource.h>). The helper takes plain numbers, so they live on the deciding side.

export const CLONE = {
  NEWTIME: 0x80, NEWNS: 0x20000, NEWCGROUP: 0x02000000, NEWUTS: 0x04000000,
  NEWIPC: 0x08000000, NEWUSER: 0x10000000, NEWPID: 0x20000000, NEWNET: 0x40000000,
} as const;

export const NS_FLAG: Record<string, number> = {
  pid: CLONE.NEWPID, network: CLONE.NEWNET, mount: CLONE.NEWNS, ipc: CLONE.NEWIPC,
  uts: CLONE.NEWUTS, user: CLONE.NEWUSER, cgroup: CLONE.NEWCGROUP, time: CLONE.NEWTIME,
};

/** The name of each namespace under /proc/<pid>/ns/. */
export const NS_PROC_NAME: Record<string, string> = {
  pid: 'pid', network: 'net', mount: 'mnt', ipc: 'ipc', uts: 'uts', user: 'user', cgroup: 'cgroup', time: 'time',
};

export const MS = {
  RDONLY: 1, NOSUID: 2, NODEV: 4, NOEXEC: 8, SYNCHRONOUS: 16, REMOUNT: 32, MANDLOCK: 64,
  DIRSYNC: 128, NOSYMFOLLOW: 256, NOATIME: 1024, NODIRATIME: 2048, BIND: 4096, MOVE: 8192,
  REC: 16384, PRIVATE: 1 << 18, SLAVE: 1 << 19, SHARED: 1 << 20, UNBINDABLE: 1 << 17,
  RELATIME: 1 << 21, STRICTATIME: 1 << 24,
} as const;

export const RLIMIT: Record<string, number> = {
  RLIMIT_CPU: 0, RLIMIT_FSIZE: 1, RLIMIT_DATA: 2, RLIMIT_STACK: 3, RLIMIT_CORE: 4, RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6, RLIMIT_NOFILE: 7, RLIMIT_MEMLOCK: 8, RLIMIT_AS: 9, RLIMIT_LOCKS: 10,
  RLIMIT_SIGPENDING: 11, RLIMIT_MSGQUEUE: 12, RLIMIT_NICE: 13, RLIMIT_RTPRIO: 14, RLIMIT_RTTIME: 15,
};

/** setrlimit's RLIM_INFINITY as the protocol carries it (u64 max). */
export const RLIM_INFINITY = 0xffffffffffffffffn;

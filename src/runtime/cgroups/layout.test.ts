import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLayout, ownCgroup } from './layout.ts';

// This machine's /proc/self/mountinfo (hybrid: v1 controllers + a cgroup2 mount with only hugetlb).
const HOST_MOUNTINFO = `22 27 0:21 / /proc rw,relatime - proc proc rw
23 27 0:22 / /sys rw,relatime - sysfs sysfs rw
24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334460k,nr_inodes=3083615,mode=755
25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684084k
26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
28 27 0:25 / /mnt/sandboxing/model_tools_env/v1/python ro,nosuid,nodev,relatime - tmpfs model_tools_unavailable ro,size=4k,mode=755
29 26 0:26 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
30 25 0:27 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684084k
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`;

const HOST_PROC_CGROUP = `9:name=systemd:/
8:pids:/
7:blkio:/
6:freezer:/
5:devices:/
4:memory:/process_api/07df3dc4862134e166cf00adbab66010
3:cpuset:/
2:cpuacct:/
1:cpu:/
0::/
`;

const V2_MOUNTINFO = `22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
`;

// Inside a container: co-mounted cpu,cpuacct, mounts showing /docker/abc as their root,
// and a bind of the memory hierarchy elsewhere (ignored in favour of /sys/fs/cgroup).
const DOCKER_MOUNTINFO = `700 690 0:60 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup rw,cpu,cpuacct
701 690 0:61 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory
699 690 0:61 / /mnt/my\\040mem rw - cgroup cgroup rw,memory
702 690 0:62 /docker/abc /sys/fs/cgroup/systemd ro - cgroup cgroup rw,xattr,name=systemd
`;

test('detectLayout: this host is v1 (the hugetlb-only cgroup2 mount is ignored)', () => {
  const l = detectLayout(HOST_MOUNTINFO);
  assert.deepEqual(l, {
    mode: 'v1',
    root: '/sys/fs/cgroup',
    v1Mounts: {
      blkio: '/sys/fs/cgroup/blkio', cpu: '/sys/fs/cgroup/cpu', cpuacct: '/sys/fs/cgroup/cpuacct',
      cpuset: '/sys/fs/cgroup/cpuset', devices: '/sys/fs/cgroup/devices', freezer: '/sys/fs/cgroup/freezer',
      memory: '/sys/fs/cgroup/memory', 'name=systemd': '/sys/fs/cgroup/systemd', pids: '/sys/fs/cgroup/pids',
    },
    mountRoots: {
      blkio: '/', cpu: '/', cpuacct: '/', cpuset: '/', devices: '/', freezer: '/', memory: '/', 'name=systemd': '/', pids: '/',
    },
  });
});

test('detectLayout: pure v2', () => {
  assert.deepEqual(detectLayout(V2_MOUNTINFO), { mode: 'v2', root: '/sys/fs/cgroup', mountRoots: { '': '/' } });
});

test('detectLayout: no cgroups → null; only a named hierarchy is not enough for v1', () => {
  assert.equal(detectLayout('22 1 0:21 / /proc rw - proc proc rw\n'), null);
  assert.equal(detectLayout('1 1 0:1 / /x rw - cgroup cgroup rw,name=systemd\n'), null);
  assert.equal(detectLayout(''), null);
});

test('detectLayout: co-mounted controllers, mount roots, escapes, preferred mount point', () => {
  const l = detectLayout(DOCKER_MOUNTINFO)!;
  assert.equal(l.mode, 'v1');
  assert.equal(l.v1Mounts!.cpu, '/sys/fs/cgroup/cpu,cpuacct');
  assert.equal(l.v1Mounts!.cpuacct, '/sys/fs/cgroup/cpu,cpuacct');
  assert.equal(l.v1Mounts!.memory, '/sys/fs/cgroup/memory');
  assert.equal(l.mountRoots!.memory, '/docker/abc');
  const alone = detectLayout('699 690 0:61 / /mnt/my\\040mem rw - cgroup cgroup rw,memory\n')!;
  assert.equal(alone.v1Mounts!.memory, '/mnt/my mem');
  assert.equal(alone.root, '/mnt');
});

test('ownCgroup: v1 per controller, unknown controllers and the 0:: line ignored', () => {
  const l = detectLayout(HOST_MOUNTINFO)!;
  assert.deepEqual(ownCgroup(HOST_PROC_CGROUP, l), {
    blkio: '/', cpu: '/', cpuacct: '/', cpuset: '/', devices: '/', freezer: '/',
    memory: '/process_api/07df3dc4862134e166cf00adbab66010', 'name=systemd': '/', pids: '/',
  });
});

test('ownCgroup: co-mounted, relative to the mount root', () => {
  const l = detectLayout(DOCKER_MOUNTINFO)!;
  const own = ownCgroup('3:cpu,cpuacct:/docker/abc/sub\n2:memory:/docker/abc\n1:name=systemd:/elsewhere\n', l);
  assert.deepEqual(own, { cpu: '/sub', cpuacct: '/sub', memory: '/', 'name=systemd': '/elsewhere' });
});

test('ownCgroup: v2 and null layout', () => {
  const l = detectLayout(V2_MOUNTINFO)!;
  assert.deepEqual(ownCgroup('0::/user.slice/user-0.slice/session-1.scope\n', l), { '': '/user.slice/user-0.slice/session-1.scope' });
  assert.deepEqual(ownCgroup('0::/\n', l), { '': '/' });
  assert.deepEqual(ownCgroup('0::/x\n', null), {});
});

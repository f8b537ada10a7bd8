// runc 1.1 and crun 1.8 put container cgroups at the hierarchy roots, which on these machines
// belong to the supervisor. This builds a shell prologue for `unshare -m --propagation private`
// that binds this process's own cgroup over each v1 controller mount (so their "/" is a cgroup
// we own) and hides the empty cgroup2 mount (crun refuses the hybrid layout otherwise).
import { readFileSync, existsSync } from 'node:fs';

export function privateCgroupPrologue(): string {
  const lines = ['mount --make-rprivate /', 'umount /sys/fs/cgroup/unified 2>/dev/null || true'];
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n')) {
    const [, ctrls, path] = line.split(':');
    if (!ctrls) continue;
    const mnt = `/sys/fs/cgroup/${ctrls.startsWith('name=') ? ctrls.slice(5) : ctrls}`;
    if (existsSync(mnt) && path !== '/') lines.push(`mount --bind ${mnt}${path} ${mnt}`);
  }
  return lines.join('\n');
}

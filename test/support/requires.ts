// Declares what a kernel test needs; returns a skip reason (for node:test's `skip`) when the
// host lacks it. Never used to skip for flakiness.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export type Need = 'root' | 'overlay' | 'cgroup-v1' | 'cgroup-v2' | 'userns' | 'runc' | 'crun' | 'busybox' | 'skopeo' | 'docker-registry';

function has(need: Need): boolean {
  switch (need) {
    case 'root': return process.getuid?.() === 0;
    case 'overlay': return readFileSync('/proc/filesystems', 'utf8').includes('overlay');
    case 'cgroup-v1': return existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes') || existsSync('/sys/fs/cgroup/pids/cgroup.procs');
    case 'cgroup-v2': return existsSync('/sys/fs/cgroup/cgroup.controllers') && readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8').includes('memory');
    case 'userns': return existsSync('/proc/self/ns/user');
    case 'busybox': return existsSync('/bin/busybox');
    default: {
      const bin = need === 'docker-registry' ? 'docker-registry' : need;
      try { execFileSync('which', [bin], { stdio: 'ignore' }); return true; } catch { return false; }
    }
  }
}

/** `test('x', { skip: requires('root', 'overlay') }, ...)` */
export function requires(...needs: Need[]): string | false {
  const missing = needs.filter((n) => !has(n));
  return missing.length ? `host lacks: ${missing.join(', ')}` : false;
}

/** Every kernel object a test makes carries this prefix; scripts/leak-check.ts looks for it. */
export const TEST_PREFIX = 'berth-test';

export function testName(tag: string): string {
  return `${TEST_PREFIX}-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

// daemon.json "cgroup-favordynmods": berthd mounts its named v1 hierarchy with favordynmods while
// it runs (containers still start and get their cgroups), and removes it when it stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, haveDocker } from './support/docker-cli.ts';
import { startBerthd } from './support/daemon.ts';

const mountsAt = (dir: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4] === dir);
const v1 = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => / - cgroup cgroup /.test(l) && /\bmemory\b/.test(l));
const skip = !haveDocker() ? 'docker CLI not installed' : !v1 ? 'no cgroup v1 hierarchies here' : process.getuid?.() !== 0 ? 'needs root' : false;

test('cgroup-favordynmods: the hierarchy is mounted while berthd runs and gone after it stops', { skip }, async () => {
  const d = await startBerthd({ busybox: true, config: { 'cgroup-favordynmods': true } });
  const dir = join(d.execRoot, 'cgroup-dynmods');
  try {
    const lines = mountsAt(dir);
    assert.equal(lines.length, 1, d.stderr());
    assert.match(lines[0], /favordynmods/);
    assert.match(lines[0], /name=berth-dynmods/);
    const r = await docker(['run', '--rm', '--network', 'none', '--memory', '64m', 'busybox', 'cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes'], d.dockerEnv);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), String(64 * 1024 * 1024));
  } finally {
    await d.stop();
  }
  assert.deepEqual(mountsAt(dir), []);
});

// The spec buildSpec makes for Docker-like settings runs through berth's runtime on busybox and
// gives the container what Docker's would: user, caps, hostname, env, masked and read-only paths,
// seccomp, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSync, closeSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { release } from 'node:os';
import { requires, testName } from '../support/requires.ts';
import { busyboxRootfs } from '../support/bundle.ts';
import { makeRuntime } from '../support/runtime.ts';
import { buildSpec } from '../../src/container/oci-spec.ts';
import { applyCreateDefaults } from '../../src/container/spec/create-defaults.ts';
import { mergeImageConfig } from '../../src/container/spec/command.ts';
import { writeBundle } from '../../src/container/bundle.ts';
import { asContainerId } from '../../src/container/model.ts';
import { capNames, parseCapHex } from '../../src/runtime/caps/index.ts';
import type { ContainerConfig, HostConfig } from '../../src/container/docker-types.ts';

const skip = requires('root', 'busybox');
const v2 = !requires('cgroup-v2');

async function run(config: ContainerConfig, host: HostConfig): Promise<{ exitCode: number; out: string; err: string }> {
  const name = testName('ctr');
  const id = (Buffer.from(name).toString('hex') + '0'.repeat(64)).slice(0, 64);
  const rootfs = busyboxRootfs();
  const merged = mergeImageConfig(config, { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] });
  const d = applyCreateDefaults(id, merged, { ReadonlyRootfs: true, Tmpfs: { '/tmp': '' }, ...host }, { cgroupVersion: v2 ? 2 : 1 });
  const built = buildSpec({
    id, config: d.config, hostConfig: d.hostConfig, rootfs,
    passwd: readFileSync(join(rootfs, 'etc/passwd'), 'utf8'), group: readFileSync(join(rootfs, 'etc/group'), 'utf8'),
    facts: { cgroupVersion: v2 ? 2 : 1, arch: process.arch === 'arm64' ? 'aarch64' : 'x86_64', kernel: release(), hostCaps: capNames(parseCapHex(/CapBnd:\s*(\w+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1])) },
  });
  const dir = join('/tmp', name);
  mkdirSync(dir, { recursive: true });
  await writeBundle({ record: { ID: asContainerId(id), Name: `/${name}`, Image: 'busybox' }, dir, rootfs, spec: built.spec });
  const t = makeRuntime();
  const outPath = join(dir, 'out'), errPath = join(dir, 'err');
  const out = openSync(outPath, 'w'), err = openSync(errPath, 'w');
  try {
    const r = await t.rt.run({ id: name, bundle: dir, stdio: ['ignore', out, err], init: built.init });
    return { exitCode: r.exitCode, out: readFileSync(outPath, 'utf8'), err: readFileSync(errPath, 'utf8') };
  } finally {
    closeSync(out);
    closeSync(err);
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('default container: root with Docker caps, hostname, env, masked paths, seccomp', { skip }, async () => {
  const script = [
    'id', 'hostname', 'echo HOME=$HOME', 'grep -E "^(CapBnd|CapEff|Seccomp|NoNewPrivs):" /proc/self/status',
    'cat /proc/kcore | wc -c', 'touch /proc/sys/x 2>/dev/null && echo sys-writable || echo sys-ro',
    'touch /root-ro 2>/dev/null && echo root-writable || echo root-ro', 'touch /tmp/ok && echo tmp-ok',
    'mount -t tmpfs none /mnt 2>/dev/null && echo mounted || echo mount-denied',
  ].join('; ');
  const r = await run({ Cmd: ['sh', '-c', script], Env: ['FOO=bar'] }, {});
  assert.equal(r.exitCode, 0, r.err);
  const lines = r.out.split('\n');
  assert.match(lines[0], /^uid=0\(root\) gid=0\(root\)/);
  assert.equal(lines[1].length, 12);
  assert.match(r.out, /CapBnd:\s+00000000a80425fb/);
  assert.match(r.out, /Seccomp:\s+2/);
  assert.match(r.out, /NoNewPrivs:\s+0/);
  assert.match(r.out, /^0$/m, '/proc/kcore is masked');
  assert.match(r.out, /sys-ro/);
  assert.match(r.out, /root-ro/);
  assert.match(r.out, /tmp-ok/);
  assert.match(r.out, /mount-denied/);
});

test('user, cap-drop, no-new-privileges, privileged', { skip }, async () => {
  const u = await run({ User: 'nobody', Cmd: ['sh', '-c', 'id -u; grep -E "^(CapBnd|NoNewPrivs):" /proc/self/status'] }, { CapDrop: ['ALL'], CapAdd: ['CHOWN'], SecurityOpt: ['no-new-privileges'] });
  assert.equal(u.exitCode, 0, u.err);
  assert.match(u.out, /^65534$/m);
  assert.match(u.out, /CapBnd:\s+0000000000000001/);
  assert.match(u.out, /NoNewPrivs:\s+1/);
  const p = await run({ Cmd: ['sh', '-c', 'grep -E "^(Seccomp):" /proc/self/status; wc -c < /proc/kcore >/dev/null 2>&1; ls /proc/acpi >/dev/null 2>&1; echo done'] }, { Privileged: true });
  assert.equal(p.exitCode, 0, p.err);
  assert.match(p.out, /Seccomp:\s+0/);
});

test('memory and pids limits reach the cgroup', { skip }, async () => {
  const files = v2 ? '/sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max' : '/sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max';
  const r = await run({ Cmd: ['sh', '-c', `cat ${files}`] }, { Memory: 64 << 20, PidsLimit: 50 });
  assert.equal(r.exitCode, 0, r.err);
  assert.deepEqual(r.out.trim().split('\n'), [String(64 << 20), '50']);
});

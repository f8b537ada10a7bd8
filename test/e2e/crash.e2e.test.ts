// berthd killed with SIGKILL while 20 containers run and while a pull and a create are in flight;
// a new berthd on the same roots finds all 20 still running, with their logs and exit codes,
// and nothing half-made: no partial image, no container without its record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, haveDocker } from './support/docker-cli.ts';
import { startBerthd, type Berthd } from './support/daemon.ts';
import { requires, testName } from '../support/requires.ts';
import { randomRootfs, writeOciLayout } from '../support/oci-layout.ts';
import { busyboxRootfs } from '../support/bundle.ts';
import { startDockerRegistry, skopeo, type ChildRegistry } from '../registry/processes.ts';

const skip = (haveDocker() ? false : 'docker CLI not installed') || requires('root', 'overlay', 'skopeo', 'busybox', 'docker-registry', 'cgroup-v1');
let dir: string;
let reg: ChildRegistry;
let d: Berthd;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), `${testName('e2e-crash')}-`));
  const big = await writeOciLayout(join(dir, 'layout'), 'v1', [busyboxRootfs(), randomRootfs(join(dir, 'big'), 48 << 20)], { cmd: ['true'] });
  reg = await startDockerRegistry();
  await skopeo(['copy', '--dest-tls-verify=false', `oci:${big.dir}:v1`, `docker://${reg.host}/big:v1`]);
  d = await startBerthd({ busybox: true, config: { 'insecure-registries': [reg.host] } });
});

after(async () => {
  if (d) {
    const ids = (await docker(['ps', '-aq'], d.dockerEnv)).stdout.trim().split('\n').filter(Boolean);
    if (ids.length) await docker(['rm', '-f', ...ids], d.dockerEnv);
    await d.stop();
  }
  await reg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ok = async (args: string[]) => {
  const r = await docker(args, d.dockerEnv, { timeoutMs: 120_000 });
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

test('SIGKILL of berthd with 20 running containers, a pull and a create in flight', { skip }, async () => {
  const names = Array.from({ length: 20 }, (_, i) => `crash-${i}`);
  await Promise.all(names.map((n) => ok(['run', '-d', '--name', n, 'busybox', 'sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done'])));
  await ok(['run', '-d', '--name', 'crash-exit', 'busybox', 'sh', '-c', 'echo bye; sleep 2; exit 9']);
  const pids = new Map<string, string>();
  for (const n of names) pids.set(n, (await ok(['inspect', '-f', '{{.State.Pid}}', n])).trim());
  // In flight at the moment of the kill.
  const pull = docker(['pull', `${reg.host}/big:v1`], d.dockerEnv, { timeoutMs: 60_000 });
  const create = docker(['create', '--name', 'crash-inflight', 'busybox', 'true'], d.dockerEnv, { timeoutMs: 60_000 });
  await new Promise((r) => setTimeout(r, 150));
  await d.kill();
  await Promise.all([pull, create]);
  await new Promise((r) => setTimeout(r, 2500)); // crash-exit exits while no daemon runs

  d = await startBerthd({ dir: d.dir, config: { 'insecure-registries': [reg.host] } });
  for (const n of names) {
    assert.equal((await ok(['inspect', '-f', '{{.State.Status}} {{.State.Pid}}', n])).trim(), `running ${pids.get(n)}`, n);
  }
  assert.equal((await ok(['wait', 'crash-exit'])).trim(), '9');
  assert.equal(await ok(['logs', 'crash-exit']), 'bye\n');
  // Logs kept flowing through the crash: the monitors held stdio, not berthd.
  const logs = (await ok(['logs', 'crash-0'])).trim().split('\n');
  assert.ok(logs.length >= 10, `crash-0 logged ${logs.length} lines`);
  assert.deepEqual(logs.slice(0, 3), ['tick 0', 'tick 1', 'tick 2']);
  // The create either finished (a whole container) or left nothing.
  const all = (await ok(['ps', '-a', '--format', '{{.Names}}'])).trim().split('\n').sort();
  assert.ok(all.length === 21 || (all.length === 22 && all.includes('crash-inflight')), all.join(' '));
  if (all.includes('crash-inflight')) assert.equal((await ok(['inspect', '-f', '{{.State.Status}}', 'crash-inflight'])).trim(), 'created');
  // The pull either produced the whole image or none: pulling again completes and it runs.
  await ok(['pull', `${reg.host}/big:v1`]);
  await ok(['run', '--rm', `${reg.host}/big:v1`]);
});

// The issue asks for both docker CLIs: Debian's docker.io client (v20, API 1.41) drives the main
// flows against berthd too. Skipped where /usr/bin/docker is not the v20 client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { requires } from '../support/requires.ts';
import { startBerthd, type Berthd } from './support/daemon.ts';
import { docker } from './support/docker-cli.ts';

const V20 = '/usr/bin/docker';
const isV20 = /Docker version 20\./.test(spawnSync(V20, ['--version'], { encoding: 'utf8' }).stdout ?? '');
const skip = requires('root', 'busybox', 'overlay', 'cgroup-v1') || (isV20 ? false : 'no docker v20 client at /usr/bin/docker');
let d: Berthd;
before(async () => { if (!skip) d = await startBerthd({ busybox: true }); });
after(async () => { if (d) { await docker(['rm', '-f', 'v20-a', 'v20-b'], d.dockerEnv, { bin: V20 }); await d.stop(); } });

const v20 = (args: string[], input?: string) => docker(args, d.dockerEnv, { bin: V20, input });

test('docker v20: version negotiates API 1.41', { skip }, async () => {
  const r = await v20(['version', '--format', '{{.Client.APIVersion}} {{.Server.APIVersion}}']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^1\.41 1\.\d+\n$/);
});

test('docker v20: run --rm, exit codes, create + start -a, -d + logs -f, exec, wait, inspect', { skip }, async () => {
  assert.equal((await v20(['run', '--rm', 'busybox', 'echo', 'hi'])).stdout, 'hi\n');
  assert.equal((await v20(['run', '--rm', 'busybox', 'sh', '-c', 'exit 3'])).code, 3);
  assert.equal((await v20(['run', '--rm', 'busybox', 'nosuchcmd'])).code, 127);
  assert.equal((await v20(['create', '--name', 'v20-a', 'busybox', 'sh', '-c', 'echo started'])).code, 0);
  assert.equal((await v20(['start', '-a', 'v20-a'])).stdout, 'started\n');
  assert.equal((await v20(['run', '-d', '--name', 'v20-b', 'busybox', 'sh', '-c', 'for i in 1 2 3; do echo $i; sleep 0.2; done; exit 4'])).code, 0);
  assert.equal((await v20(['logs', '-f', 'v20-b'])).stdout, '1\n2\n3\n');
  assert.equal((await v20(['wait', 'v20-b'])).stdout.trim(), '4');
  assert.equal((await v20(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'v20-b'])).stdout.trim(), 'exited 4');
  assert.equal((await v20(['start', 'v20-b'])).code, 0);
  await new Promise((r) => setTimeout(r, 100));
  const e = await v20(['exec', '-i', 'v20-b', 'cat'], 'through exec\n');
  assert.equal(e.stdout, 'through exec\n');
});

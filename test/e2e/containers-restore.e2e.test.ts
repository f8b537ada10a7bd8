// Containers outlive berthd: SIGKILL the daemon while a container runs, start a new berthd on
// the same data and exec roots, and the container is still there — running, then exited with
// its own code, its whole log kept, `docker wait`/`logs -f` working across the restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docker } from './support/docker-cli.ts';
import { startBerthd, type Berthd } from './support/daemon.ts';
import { noDocker, removeAllContainers } from './support/container-fixture.ts';

const skip = noDocker;

async function ok(d: Berthd, args: string[]): Promise<string> {
  const r = await docker(args, d.dockerEnv, { timeoutMs: 20_000 });
  assert.equal(r.code, 0, `docker ${args.join(' ')} exited ${r.code}: ${r.stderr}\nberthd: ${d.stderr()}`);
  return r.stdout.trim();
}

/** Runs `body` with a busybox berthd; whatever happens, the last berthd cleans up. */
async function withBerthd(body: (d: Berthd, restart: () => Promise<Berthd>) => Promise<void>): Promise<void> {
  let d = await startBerthd({ busybox: true });
  try {
    await body(d, async () => {
      await d.kill();
      d = await startBerthd({ dir: d.dir });
      return d;
    });
  } finally {
    if (d.running()) await removeAllContainers(d).catch(() => {});
    await d.stop();
  }
}

test('SIGKILL berthd while a container runs: the next berthd has its wait, exit code and logs', { skip, timeout: 60_000 }, async () => {
  await withBerthd(async (first, restart) => {
    const id = await ok(first, ['run', '-d', '--name', 'survivor', 'busybox', 'sh', '-c', 'for i in $(seq 1 5); do echo $i; sleep 1; done; exit 7']);
    const pid = Number(await ok(first, ['inspect', '--format', '{{.State.Pid}}', id]));
    assert.ok(pid > 0);
    await new Promise((r) => setTimeout(r, 1200));
    const d = await restart();
    assert.doesNotThrow(() => process.kill(pid, 0), 'the container process outlived the daemon');
    assert.equal(await ok(d, ['inspect', '--format', '{{.State.Status}} {{.State.Pid}}', 'survivor']), `running ${pid}`);
    assert.equal(await ok(d, ['ps', '--format', '{{.Names}}']), 'survivor');
    assert.equal(await ok(d, ['wait', 'survivor']), '7');
    assert.equal(await ok(d, ['logs', 'survivor']), '1\n2\n3\n4\n5');
    assert.equal(await ok(d, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}} {{.State.Pid}}', id]), 'exited 7 0');
    await ok(d, ['rm', 'survivor']);
  });
});

test('docker logs -f across the restart gets the lines written while no berthd ran', { skip, timeout: 60_000 }, async () => {
  await withBerthd(async (first, restart) => {
    await ok(first, ['run', '-d', '--name', 'follower', 'busybox', 'sh', '-c', 'for i in $(seq 1 4); do echo $i; sleep 0.5; done']);
    await first.kill();
    await new Promise((r) => setTimeout(r, 800));
    const d = await restart();
    const r = await docker(['logs', '-f', 'follower'], d.dockerEnv, { timeoutMs: 15_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '1\n2\n3\n4\n');
    assert.equal(await ok(d, ['inspect', '--format', '{{.State.ExitCode}}', 'follower']), '0');
  });
});

test('a container that exited while berthd was down is found exited with its code', { skip, timeout: 60_000 }, async () => {
  await withBerthd(async (first, restart) => {
    await ok(first, ['run', '-d', '--name', 'quick', 'busybox', 'sh', '-c', 'sleep 0.5; echo bye; exit 3']);
    await first.kill();
    await new Promise((r) => setTimeout(r, 1500));
    const d = await restart();
    assert.equal(await ok(d, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'quick']), 'exited 3');
    assert.equal(await ok(d, ['wait', 'quick']), '3');
    assert.equal(await ok(d, ['logs', 'quick']), 'bye');
    assert.equal(await ok(d, ['ps', '-q']), '');
    const again = await docker(['start', '-a', 'quick'], d.dockerEnv, { timeoutMs: 15_000 });
    assert.equal(again.code, 3, again.stderr);
    assert.equal(again.stdout, 'bye\n');
  });
});

test('restored containers can be stopped, paused, attached to and removed by the new berthd', { skip, timeout: 60_000 }, async () => {
  await withBerthd(async (first, restart) => {
    await ok(first, ['run', '-d', '--init', '--name', 'managed', 'busybox', 'sleep', '60']);
    await ok(first, ['run', '-d', '-i', '--name', 'talker', 'busybox', 'sh', '-c', 'read l; echo "got $l"']);
    const d = await restart();
    await ok(d, ['pause', 'managed']);
    assert.equal(await ok(d, ['inspect', '--format', '{{.State.Status}}', 'managed']), 'paused');
    await ok(d, ['unpause', 'managed']);
    assert.match(await ok(d, ['top', 'managed']), /sleep 60/);
    await ok(d, ['stop', 'managed']);
    assert.equal(await ok(d, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'managed']), 'exited 143');
    // (Without StdinOnce the container's stdin stays open after the CLI's EOF, as in Docker.)
    const r = await docker(['attach', 'talker'], d.dockerEnv, { input: 'hello\n', timeoutMs: 15_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'got hello\n');
    assert.equal(await ok(d, ['wait', 'talker']), '0');
    await ok(d, ['rm', 'managed', 'talker']);
  });
});

test('--restart always: a container that exits while berthd is down is restarted by the next one', { skip, timeout: 60_000 }, async () => {
  await withBerthd(async (first, restart) => {
    await ok(first, ['run', '-d', '--name', 'phoenix', '--restart', 'always', 'busybox', 'sh', '-c', 'echo up; sleep 1']);
    await first.kill();
    await new Promise((r) => setTimeout(r, 1500));
    const d = await restart();
    let status = '';
    for (let i = 0; i < 50 && !/^running [1-9]/.test(status); i++) {
      status = await ok(d, ['inspect', '--format', '{{.State.Status}} {{.RestartCount}}', 'phoenix']);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(status, /^running [1-9]/);
    await ok(d, ['rm', '-f', 'phoenix']);
  });
});

test('a container berthd was about to restart is restarted by the next berthd', { skip, timeout: 60_000 }, async () => {
  await withBerthd(async (first, restart) => {
    await ok(first, ['run', '-d', '--name', 'again', '--restart', 'on-failure:10', 'busybox', 'sh', '-c', 'echo try; exit 1']);
    let seen = '';
    for (let i = 0; i < 100 && !/^restarting [3-9]$/.test(seen); i++) {
      seen = await ok(first, ['inspect', '--format', '{{.State.Status}} {{.RestartCount}}', 'again']);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(seen, /^restarting [3-9]$/);
    const before = Number(seen.split(' ')[1]);
    const d = await restart();
    let count = before;
    for (let i = 0; i < 60 && count <= before; i++) {
      count = Number(await ok(d, ['inspect', '--format', '{{.RestartCount}}', 'again']));
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(count > before, `restart count ${count} after ${before}`);
    assert.ok((await ok(d, ['logs', 'again'])).split('\n').length > before);
    await ok(d, ['rm', '-f', 'again']);
  });
});

// docker cp through a running container's mounts (as dockerd resolves them): into and out of a
// named volume, a bind mount and a tmpfs (and a stopped container's volume and bind); read-only mounts and a read-only rootfs refuse writes
// with dockerd's messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { requires } from '../support/requires.ts';
import { ok as okIn, useBerthd } from './support/container-fixture.ts';
import { docker, haveDocker } from './support/docker-cli.ts';

const skip = requires('root', 'busybox', 'overlay', 'cgroup-v1') || (haveDocker() ? false : 'no docker CLI');
const daemon = useBerthd();

const run = (args: string[]) => docker(args, daemon().dockerEnv);
const ok = (args: string[]) => okIn(daemon(), args, { raw: true });

test('docker cp into and out of a running container\'s volume, bind mount and tmpfs', { skip }, async () => {
  const host = mkdtempSync(join(tmpdir(), 'berth-test-cpm-'));
  try {
    const bind = join(host, 'bind'), ro = join(host, 'ro'), out = join(host, 'out');
    for (const d of [bind, ro, out]) mkdirSync(d);
    writeFileSync(join(host, 'f.txt'), 'from the host\n');
    await ok(['run', '-d', '--name', 'cpm', '-v', 'cpm-vol:/data', '-v', `${bind}:/bind`, '--tmpfs', '/scratch',
      '--mount', `type=bind,src=${ro},dst=/ro,readonly`, 'busybox', 'sleep', '60']);

    await ok(['cp', join(host, 'f.txt'), 'cpm:/data/']);
    assert.equal(await ok(['exec', 'cpm', 'cat', '/data/f.txt']), 'from the host\n');
    const mp = (await ok(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'cpm-vol'])).trim();
    assert.equal(readFileSync(join(mp, 'f.txt'), 'utf8'), 'from the host\n', 'the file is in the volume');

    await ok(['cp', join(host, 'f.txt'), 'cpm:/bind/g.txt']);
    assert.equal(readFileSync(join(bind, 'g.txt'), 'utf8'), 'from the host\n', 'the file is in the bind source');

    await ok(['exec', 'cpm', 'sh', '-c', 'echo in tmpfs > /scratch/t; echo in volume > /data/v; mkdir /data/d; echo deep > /data/d/x']);
    await ok(['cp', 'cpm:/scratch/t', join(out, 't')]);
    assert.equal(readFileSync(join(out, 't'), 'utf8'), 'in tmpfs\n');
    await ok(['cp', 'cpm:/data', join(out, 'data')]);
    assert.equal(readFileSync(join(out, 'data', 'v'), 'utf8'), 'in volume\n');
    assert.equal(readFileSync(join(out, 'data', 'd', 'x'), 'utf8'), 'deep\n');

    const refused = await run(['cp', join(host, 'f.txt'), 'cpm:/ro/']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Error response from daemon: mounted volume is marked read-only/);
    assert.ok(!existsSync(join(ro, 'f.txt')));

    // Stopped: the same paths reach the volume and the bind source (not the rootfs under them).
    await ok(['stop', '-t', '0', 'cpm']);
    await ok(['cp', join(host, 'f.txt'), 'cpm:/data/h.txt']);
    assert.equal(readFileSync(join(mp, 'h.txt'), 'utf8'), 'from the host\n');
    await ok(['cp', 'cpm:/data/v', join(out, 'v2')]);
    assert.equal(readFileSync(join(out, 'v2'), 'utf8'), 'in volume\n');
    await ok(['cp', 'cpm:/bind/g.txt', join(out, 'g2')]);
    assert.equal(readFileSync(join(out, 'g2'), 'utf8'), 'from the host\n');
  } finally {
    await run(['rm', '-f', 'cpm']);
    await run(['volume', 'rm', 'cpm-vol']);
    rmSync(host, { recursive: true, force: true });
  }
});

test('docker cp with a read-only rootfs: into a volume yes, elsewhere "container rootfs is marked read-only"', { skip }, async () => {
  const host = mkdtempSync(join(tmpdir(), 'berth-test-cpm-'));
  try {
    writeFileSync(join(host, 'f.txt'), 'x\n');
    await ok(['run', '-d', '--name', 'cpm-ro', '--read-only', '-v', '/vol', 'busybox', 'sleep', '60']);
    await ok(['cp', join(host, 'f.txt'), 'cpm-ro:/vol/']);
    assert.equal(await ok(['exec', 'cpm-ro', 'cat', '/vol/f.txt']), 'x\n');
    const r = await run(['cp', join(host, 'f.txt'), 'cpm-ro:/tmp/']);
    assert.match(r.stderr, /Error response from daemon: container rootfs is marked read-only/);
  } finally {
    await run(['rm', '-f', '-v', 'cpm-ro']);
    rmSync(host, { recursive: true, force: true });
  }
});

// docker cp into and out of a RUNNING container's tmpfs mounts (--tmpfs and --mount
// type=tmpfs), which exist only in the container's mount namespace: files and directories both
// ways, nothing left mounted after; and a container that replaces a parent of its tmpfs mount
// point with a symlink (to a path that exists on the host, with a tmpfs there) cannot make the
// copy, or the clone_mount op under it, reach outside the container.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { requires, testName } from '../support/requires.ts';
import { ok as okIn, useBerthd } from './support/container-fixture.ts';
import { docker, haveDocker } from './support/docker-cli.ts';
import { OpServer } from '../../src/native/op-server.ts';
import { helperPath } from '../../src/native/helper-path.ts';
import { tmpfsCloner } from '../../src/daemon/mount-clones.ts';

const skip = requires('root', 'busybox', 'overlay') || (haveDocker() ? false : 'no docker CLI');
const daemon = useBerthd();

const run = (args: string[]) => docker(args, daemon().dockerEnv);
const ok = (args: string[]) => okIn(daemon(), args, { raw: true });
const mountsUnder = (dir: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4]?.startsWith(dir));

test('docker cp into and out of a running container\'s tmpfs (--tmpfs, --mount type=tmpfs)', { skip }, async () => {
  const host = mkdtempSync(join(tmpdir(), 'berth-test-cpt-'));
  try {
    const out = join(host, 'out'), dir = join(host, 'dir');
    mkdirSync(out);
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(host, 'file'), 'from the host\n');
    writeFileSync(join(dir, 'sub', 'deep'), 'deep\n');
    await ok(['run', '-d', '--name', 'cpt', '--tmpfs', '/scratch', '--mount', 'type=tmpfs,destination=/x/y', 'busybox', 'sleep', '60']);

    await ok(['cp', join(host, 'file'), 'cpt:/scratch/']);
    assert.equal(await ok(['exec', 'cpt', 'cat', '/scratch/file']), 'from the host\n');
    await ok(['cp', join(host, 'file'), 'cpt:/scratch/renamed']);
    assert.equal(await ok(['exec', 'cpt', 'cat', '/scratch/renamed']), 'from the host\n');
    await ok(['cp', 'cpt:/scratch/file', join(out, 'file')]);
    assert.equal(readFileSync(join(out, 'file'), 'utf8'), 'from the host\n');

    await ok(['cp', dir, 'cpt:/scratch/']);
    assert.equal(await ok(['exec', 'cpt', 'cat', '/scratch/dir/sub/deep']), 'deep\n');
    await ok(['exec', 'cpt', 'sh', '-c', 'echo made inside > /scratch/dir/inside']);
    await ok(['cp', 'cpt:/scratch/dir', join(out, 'dir')]);
    assert.equal(readFileSync(join(out, 'dir', 'sub', 'deep'), 'utf8'), 'deep\n');
    assert.equal(readFileSync(join(out, 'dir', 'inside'), 'utf8'), 'made inside\n');

    await ok(['cp', join(host, 'file'), 'cpt:/x/y']);
    assert.equal(await ok(['exec', 'cpt', 'cat', '/x/y/file']), 'from the host\n');
    assert.match(await ok(['exec', 'cpt', 'grep', ' /x/y ', '/proc/mounts']), /tmpfs/, 'still the tmpfs');
    await ok(['cp', 'cpt:/x/y/file', join(out, 'y-file')]);
    assert.equal(readFileSync(join(out, 'y-file'), 'utf8'), 'from the host\n');

    // A missing parent inside the tmpfs: Docker's "Could not find the file" (and no clone left).
    const r = await run(['cp', join(host, 'file'), 'cpt:/scratch/nope/']);
    assert.notEqual(r.code, 0);
    assert.deepEqual(mountsUnder(daemon().execRoot).filter((l) => l.includes('cp-tmpfs-')), [], 'no clone left mounted');
    assert.deepEqual(readdirSync(daemon().execRoot).filter((n) => n.startsWith('cp-tmpfs-')), [], 'no clone directory left');
  } finally {
    await run(['rm', '-f', 'cpt']);
    rmSync(host, { recursive: true, force: true });
  }
});

test('a symlink over a parent of the tmpfs mount point does not lead the copy or the clone out of the container', { skip }, async () => {
  const name = testName('cptsym');
  const host = mkdtempSync(join(tmpdir(), `${name}-`));
  // On the host, a tmpfs at the same path the container's symlink will name: what a resolution
  // against the daemon's root (not the container's) would reach.
  const decoy = join(host, 'a'), decoyTmpfs = join(decoy, 'b');
  mkdirSync(decoyTmpfs, { recursive: true });
  writeFileSync(join(host, 'file'), 'x\n');
  const server = new OpServer(helperPath());
  let mountedDecoy = false;
  try {
    await server.run([{ op: 'mount', source: name, target: decoyTmpfs, fstype: 'tmpfs', flags: 0n, data: '', targetInRoot: 0 }]);
    mountedDecoy = true;
    await ok(['run', '-d', '--name', 'cpt-sym', '--tmpfs', '/a/b', 'busybox', 'sleep', '60']);
    await ok(['exec', 'cpt-sym', 'sh', '-c', `echo mine > /a/b/mine && mv /a /moved && ln -s ${decoy} /a`]);

    const r = await run(['cp', join(host, 'file'), 'cpt-sym:/a/b/']);
    assert.notEqual(r.code, 0, 'the symlink leads nowhere in the container');
    assert.deepEqual(readdirSync(decoyTmpfs), [], 'nothing written into the host\'s tmpfs');

    // The op under it, asked for the configured destination: resolved in the container's root.
    const pid = Number((await ok(['inspect', '-f', '{{.State.Pid}}', 'cpt-sym'])).trim());
    const clone = tmpfsCloner(server, host);
    await assert.rejects(clone(pid, '/a/b'), /No such file or directory/);
    // A symlink to the container's own tmpfs (moved away): that tmpfs, not the host's.
    await ok(['exec', 'cpt-sym', 'sh', '-c', 'rm /a && ln -s /moved /a']);
    const c = await clone(pid, '/a/b');
    try {
      assert.equal(readFileSync(join(c.dir, 'mine'), 'utf8'), 'mine\n');
    } finally {
      await c.release();
    }
    // Not a tmpfs mount root (the container's /etc): refused.
    await ok(['exec', 'cpt-sym', 'sh', '-c', 'rm /a && ln -s /etc /a && mkdir -p /etc/b']);
    await assert.rejects(clone(pid, '/a/b'), /is not the expected filesystem/);
    assert.deepEqual(readdirSync(decoyTmpfs), []);
    assert.deepEqual(mountsUnder(host).map((l) => l.split(' ')[4]), [decoyTmpfs], 'only the decoy is mounted');
  } finally {
    await run(['rm', '-f', 'cpt-sym']);
    if (mountedDecoy) await server.run([{ op: 'umount', target: decoyTmpfs, flags: 2 }]).catch(() => {});
    server.close();
    rmSync(host, { recursive: true, force: true });
  }
});

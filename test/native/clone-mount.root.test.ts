// The helper's clone_mount op (through the op server, as tmpfsCloner uses it): a tmpfs that
// exists only in another mount namespace is cloned into ours and shares its files both ways;
// sources that are not a tmpfs mount root are refused, and nothing stays mounted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpServer } from '../../src/native/op-server.ts';
import { helperPath } from '../../src/native/helper-path.ts';
import { sweepTmpfsClones, tmpfsCloner, TMPFS_MAGIC } from '../../src/daemon/mount-clones.ts';
import { requires, testName } from '../support/requires.ts';

const mountinfo = () => readFileSync('/proc/self/mountinfo', 'utf8');
const mountedUnder = (dir: string) => mountinfo().split('\n').filter((l) => l.split(' ')[4]?.startsWith(dir));

/** A process in a private mount namespace with a tmpfs (source `name`) on `dir`: only there. */
async function nsWithTmpfs(name: string, dir: string): Promise<{ pid: number; stop(): void }> {
  const script = `mount -t tmpfs ${name} ${dir} && mkdir ${dir}/sub && echo inside > ${dir}/was-there && echo ready && exec sleep 60`;
  const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject).once('exit', (c) => reject(new Error(`unshare exited ${c}`)));
    child.stdout!.setEncoding('utf8').on('data', (s: string) => { if (s.includes('ready')) resolve(); });
  });
  return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

test('clone_mount: a tmpfs of another mount namespace, shared through the clone; wrong sources refused; leftovers swept', { skip: requires('root') }, async () => {
  const name = testName('clonemnt');
  const base = mkdtempSync(join(tmpdir(), `${name}-`));
  const server = new OpServer(helperPath());
  const clone = tmpfsCloner(server, base);
  let ns: { pid: number; stop(): void } | undefined;
  try {
    const scratch = join(base, 'scratch');
    mkdirSync(scratch);
    ns = await nsWithTmpfs(name, scratch);
    assert.equal(mountedUnder(base).length, 0, 'the tmpfs is not in our namespace');

    const c = await clone(ns.pid, scratch);
    assert.equal(readFileSync(join(c.dir, 'was-there'), 'utf8'), 'inside\n');
    writeFileSync(join(c.dir, 'sub', 'from-host'), 'through the clone');
    assert.equal(readFileSync(`/proc/${ns.pid}/root${scratch}/sub/from-host`, 'utf8'), 'through the clone', 'the other namespace sees it');
    await c.release();
    await c.release(); // once only
    assert.ok(!existsSync(c.dir), 'the clone directory is removed');
    assert.ok(existsSync(`/proc/${ns.pid}/root${scratch}/sub/from-host`), 'the tmpfs itself is untouched by the release');

    // Left by a crash: the next daemon's sweep unmounts and removes it.
    const left = await clone(ns.pid, scratch);
    await sweepTmpfsClones(server, base);
    assert.ok(!existsSync(left.dir));
    assert.ok(existsSync(`/proc/${ns.pid}/root${scratch}/was-there`));

    // Not a mount root (a directory inside the tmpfs), not a tmpfs, missing: refused, nothing left.
    await assert.rejects(clone(ns.pid, `${scratch}/sub`), /is not a mount point/);
    await assert.rejects(clone(ns.pid, base), /is not the expected filesystem/);
    await assert.rejects(clone(ns.pid, `${scratch}/nope`), /No such file or directory/);
    await assert.rejects(clone(2 ** 22 + 1, scratch), /mount namespace/);
    assert.deepEqual(readdirSync(base), ['scratch'], 'no clone directories left');

    // The op itself: without a namespace, a tmpfs of ours; any type with fs_magic 0.
    const own = join(base, 'own'), target = join(base, 'target');
    mkdirSync(own);
    mkdirSync(target);
    await server.run([{ op: 'mount', source: name, target: own, fstype: 'tmpfs', flags: 0n, data: '', targetInRoot: 0 }]);
    try {
      writeFileSync(join(own, 'x'), 'own');
      await server.run([{ op: 'cloneMount', mntns: '', source: own, target, fsMagic: TMPFS_MAGIC, flags: 1 }]);
      assert.equal(readFileSync(join(target, 'x'), 'utf8'), 'own');
      await server.run([{ op: 'umount', target, flags: 2 }]);
    } finally {
      await server.run([{ op: 'umount', target: own, flags: 2 }]);
    }
    assert.equal(mountedUnder(base).length, 0, mountedUnder(base).join('\n'));
  } finally {
    ns?.stop();
    for (const l of mountedUnder(base).reverse()) await server.run([{ op: 'umount', target: l.split(' ')[4], flags: 2 }]).catch(() => {});
    server.close();
    rmSync(base, { recursive: true, force: true });
  }
});

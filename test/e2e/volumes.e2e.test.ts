// Volumes, binds and tmpfs mounts with the real docker CLI against berthd: volume create/ls/
// inspect/rm/prune, data that outlives containers and a berthd restart, copy-up from an image
// VOLUME, rm -v, --volumes-from, driver options, bind :ro, missing bind sources, in-use refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chownSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requires } from '../support/requires.ts';
import { busyboxRootfs } from '../support/bundle.ts';
import { startBerthd, type Berthd } from './support/daemon.ts';
import { docker, haveDocker } from './support/docker-cli.ts';

const skip = requires('root', 'busybox', 'overlay') || (haveDocker() ? false : 'no docker CLI');
let d: Berthd;
let scratch: string;
before(async () => {
  if (skip) return;
  d = await startBerthd({ busybox: true });
  scratch = mkdtempSync(join(tmpdir(), 'berth-test-vole2e-'));
});
after(async () => {
  if (!d) return;
  const ids = (await docker(['ps', '-aq'], d.dockerEnv)).stdout.split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', '-v', ...ids], d.dockerEnv);
  await d.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const run = (args: string[], input?: string) => docker(args, d.dockerEnv, { input });
const ok = async (args: string[], input?: string) => {
  const r = await run(args, input);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const lines = (s: string) => s.split('\n').filter(Boolean).sort();
const mountedUnder = (dir: string) => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m?.startsWith(dir));

test('volume create/ls/inspect/rm/prune: shapes, filters, messages', { skip }, async () => {
  assert.equal(await ok(['volume', 'create', '--label', 'team=a', 'lv-one']), 'lv-one\n');
  await ok(['volume', 'create', 'lv-two']);
  const anon = (await ok(['volume', 'create'])).trim();
  assert.match(anon, /^[0-9a-f]{64}$/);
  const [v] = JSON.parse(await ok(['volume', 'inspect', 'lv-one'])) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(v).sort(), ['CreatedAt', 'Driver', 'Labels', 'Mountpoint', 'Name', 'Options', 'Scope']);
  assert.equal(v.Driver, 'local');
  assert.equal(v.Scope, 'local');
  assert.deepEqual(v.Labels, { team: 'a' });
  assert.equal(v.Mountpoint, join(d.dataRoot, 'volumes', 'lv-one', '_data'));
  assert.match(String(v.CreatedAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(lines(await ok(['volume', 'ls', '-q', '--filter', 'label=team=a'])), ['lv-one']);
  assert.deepEqual(lines(await ok(['volume', 'ls', '-q', '--filter', 'name=lv-'])), ['lv-one', 'lv-two']);
  assert.equal((await ok(['volume', 'ls', '--format', '{{.Driver}} {{.Name}} {{.Labels}}', '--filter', 'name=lv-one'])).trim(), 'local lv-one team=a');
  const bad = await run(['volume', 'create', 'a/b']);
  assert.match(bad.stderr, /create a\/b: "a\/b" includes invalid characters for a local volume name, only "\[a-zA-Z0-9\]\[a-zA-Z0-9_.-\]" are allowed/);
  const missing = await run(['volume', 'inspect', 'lv-nope']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /get lv-nope: no such volume/);
  assert.match((await run(['volume', 'rm', 'lv-nope'])).stderr, /no such volume/);
  assert.equal((await run(['volume', 'rm', '-f', 'lv-nope'])).code, 0);
  // Prune takes anonymous volumes only, unless --all.
  assert.match(await ok(['volume', 'prune', '-f']), new RegExp(`Deleted Volumes:\\n${anon}\\n`));
  assert.deepEqual(lines(await ok(['volume', 'ls', '-q', '--filter', 'name=lv-'])), ['lv-one', 'lv-two']);
  const all = await ok(['volume', 'prune', '-f', '--all', '--filter', 'label=team']);
  assert.match(all, /lv-one/);
  assert.doesNotMatch(all, /lv-two/);
  assert.equal(await ok(['volume', 'rm', 'lv-two']), 'lv-two\n');
});

test('a named volume keeps its data across rm and a berthd restart; in use it cannot be removed', { skip }, async () => {
  await ok(['run', '--name', 'vk-writer', '-v', 'vk-data:/data', 'busybox', 'sh', '-c', 'echo persisted > /data/f']);
  const inUse = await run(['volume', 'rm', 'vk-data']);
  const id = (await ok(['inspect', '-f', '{{.Id}}', 'vk-writer'])).trim();
  assert.match(inUse.stderr, new RegExp(`remove vk-data: volume is in use - \\[${id}\\]`));
  assert.deepEqual(lines(await ok(['volume', 'ls', '-q', '--filter', 'dangling=false', '--filter', 'name=vk-'])), ['vk-data']);
  const [m] = JSON.parse(await ok(['inspect', '-f', '{{json .Mounts}}', 'vk-writer'])) as Record<string, unknown>[];
  assert.deepEqual(m, { Type: 'volume', Name: 'vk-data', Source: join(d.dataRoot, 'volumes', 'vk-data', '_data'), Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' });
  await ok(['rm', '-v', 'vk-writer']);
  await d.kill();
  d = await startBerthd({ dir: d.dir });
  assert.equal(await ok(['run', '--rm', '-v', 'vk-data:/data', 'busybox', 'cat', '/data/f']), 'persisted\n');
  // A running container holds it too; after it goes the volume can be removed.
  await ok(['run', '-d', '--name', 'vk-running', '-v', 'vk-data:/data:ro', 'busybox', 'sleep', '60']);
  assert.match((await run(['volume', 'rm', 'vk-data'])).stderr, /volume is in use/);
  assert.match((await run(['exec', 'vk-running', 'touch', '/data/x'])).stderr, /Read-only file system/);
  await ok(['rm', '-f', 'vk-running']);
  await ok(['volume', 'rm', 'vk-data']);
});

test('copy-up: an image VOLUME gets the image content (owners and modes); named volumes too, nocopy not', { skip }, async () => {
  const extra = join(scratch, 'extra');
  mkdirSync(join(extra, 'data', 'sub'), { recursive: true });
  writeFileSync(join(extra, 'data', 'file'), 'from image\n');
  chownSync(join(extra, 'data', 'file'), 1234, 5678);
  chmodSync(join(extra, 'data', 'file'), 0o640);
  chownSync(join(extra, 'data'), 42, 43);
  chmodSync(join(extra, 'data'), 0o750);
  const tar = join(scratch, 'img.tar');
  execFileSync('tar', ['-c', '-f', tar, '-C', busyboxRootfs(), '.', '-C', extra, 'data']);
  await ok(['import', '--change', 'VOLUME /data', '--change', 'CMD ["sh"]', tar, 'voltest:copyup']);
  const show = 'stat -c "%u:%g %a %n" /data /data/file; cat /data/file';
  const expected = '42:43 750 /data\n1234:5678 640 /data/file\nfrom image\n';
  assert.equal(await ok(['run', '--name', 'cu-anon', 'voltest:copyup', 'sh', '-c', show]), expected);
  const [m] = JSON.parse(await ok(['inspect', '-f', '{{json .Mounts}}', 'cu-anon'])) as Record<string, string>[];
  assert.equal(m.Type, 'volume');
  assert.match(m.Name, /^[0-9a-f]{64}$/);
  assert.equal(m.Destination, '/data');
  assert.equal(await ok(['run', '--rm', '-v', 'cu-named:/data', 'voltest:copyup', 'sh', '-c', show]), expected);
  // Not empty any more: a second container sees what the first left, no copy over it.
  await ok(['run', '--rm', '-v', 'cu-named:/data', 'voltest:copyup', 'sh', '-c', 'echo changed > /data/file']);
  assert.equal(await ok(['run', '--rm', '-v', 'cu-named:/data', 'voltest:copyup', 'cat', '/data/file']), 'changed\n');
  assert.equal(await ok(['run', '--rm', '--mount', 'type=volume,src=cu-nocopy,dst=/data,volume-nocopy', 'voltest:copyup', 'ls', '-A', '/data']), '');
  assert.equal(await ok(['run', '--rm', '-v', 'cu-nocopy2:/data:nocopy', 'voltest:copyup', 'ls', '-A', '/data']), '');
  await ok(['rm', '-v', 'cu-anon']);
  assert.equal(await ok(['volume', 'ls', '-q', '--filter', `name=${m.Name}`]), '', 'rm -v took the anonymous volume');
  await ok(['volume', 'rm', 'cu-named', 'cu-nocopy', 'cu-nocopy2']);
});

test('rm -v removes anonymous volumes only; --rm too; --volumes-from shares them', { skip }, async () => {
  await ok(['create', '--name', 'rv-src', '-v', 'rv-named:/n', '-v', '/anon', '--mount', 'type=volume,dst=/anon2', 'busybox', 'sh', '-c', 'echo shared > /anon/f; echo n > /n/f']);
  await ok(['start', '-a', 'rv-src']);
  const mounts = JSON.parse(await ok(['inspect', '-f', '{{json .Mounts}}', 'rv-src'])) as Record<string, string>[];
  const anons = mounts.filter((x) => x.Name !== 'rv-named').map((x) => x.Name);
  assert.equal(anons.length, 2);
  const srcId = (await ok(['inspect', '-f', '{{.Id}}', 'rv-src'])).trim().slice(0, 12);
  assert.equal((await ok(['ps', '-aq', '--filter', 'volume=rv-named'])).trim(), srcId);
  assert.equal((await ok(['ps', '-aq', '--filter', 'volume=/anon2'])).trim(), srcId);
  assert.equal(await ok(['run', '--rm', '--volumes-from', 'rv-src:ro', 'busybox', 'sh', '-c', 'cat /anon/f /n/f; touch /n/g 2>&1 || true']), 'shared\nn\ntouch: /n/g: Read-only file system\n');
  assert.deepEqual(lines(await ok(['volume', 'ls', '-q'])).filter((n) => anons.includes(n)).sort(), [...anons].sort(), '--rm of the --volumes-from container keeps them');
  await ok(['rm', '-v', 'rv-src']);
  const left = lines(await ok(['volume', 'ls', '-q']));
  assert.ok(left.includes('rv-named'), 'named volume stays');
  assert.ok(!anons.some((a) => left.includes(a)), 'anonymous volumes are gone');
  await ok(['run', '--rm', '-v', '/tmpanon', 'busybox', 'true']);
  assert.deepEqual(lines(await ok(['volume', 'ls', '-q'])), left, '--rm removed its anonymous volume');
  await ok(['volume', 'rm', 'rv-named']);
});

test('binds: :ro refuses writes; -v makes a missing source, --mount refuses it', { skip }, async () => {
  const host = join(scratch, 'bind');
  mkdirSync(host);
  writeFileSync(join(host, 'f'), 'host\n');
  const ro = await run(['run', '--rm', '-v', `${host}:/b:ro`, 'busybox', 'sh', '-c', 'cat /b/f; echo x > /b/f']);
  assert.equal(ro.stdout, 'host\n');
  assert.match(ro.stderr, /Read-only file system/);
  assert.equal(readFileSync(join(host, 'f'), 'utf8'), 'host\n');
  await ok(['run', '--rm', '--mount', `type=bind,src=${host},dst=/b`, 'busybox', 'sh', '-c', 'echo rw > /b/g']);
  assert.equal(readFileSync(join(host, 'g'), 'utf8'), 'rw\n');
  const made = join(scratch, 'made', 'deep');
  await ok(['run', '--rm', '-v', `${made}:/m`, 'busybox', 'touch', '/m/x']);
  assert.ok(existsSync(join(made, 'x')));
  const missing = join(scratch, 'missing');
  const r = await run(['run', '--rm', '--mount', `type=bind,src=${missing},dst=/m`, 'busybox', 'true']);
  assert.equal(r.code, 125);
  assert.match(r.stderr, new RegExp(`invalid mount config for type "bind": bind source path does not exist: ${missing}`));
  assert.ok(!existsSync(missing));
});

test('tmpfs: --tmpfs, --mount type=tmpfs with size, and a tmpfs-backed volume unmounted after use', { skip }, async () => {
  const out = await ok(['run', '--rm', '--tmpfs', '/t1:size=1m', '--mount', 'type=tmpfs,dst=/t2,tmpfs-size=2m,tmpfs-mode=1770', 'busybox', 'sh', '-c', 'grep -E " /t[12] " /proc/mounts; stat -c %a /t2']);
  assert.match(out, /^tmpfs \/t1 tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k/m);
  assert.match(out, /^tmpfs \/t2 tmpfs rw,nosuid,nodev,noexec,relatime,size=2048k,mode=1770/m);
  assert.match(out, /^1770$/m);
  await ok(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=3m', 'tv-tmp']);
  const mp = join(d.dataRoot, 'volumes', 'tv-tmp', '_data');
  assert.match(await ok(['run', '--rm', '-v', 'tv-tmp:/v', 'busybox', 'grep', ' /v ', '/proc/mounts']), /^tmpfs \/v tmpfs .*size=3072k/);
  assert.deepEqual(mountedUnder(mp), [], 'unmounted after the last container');
  assert.deepEqual(JSON.parse(await ok(['volume', 'inspect', '-f', '{{json .Options}}', 'tv-tmp'])), { type: 'tmpfs', device: 'tmpfs', o: 'size=3m' });
  await ok(['volume', 'rm', 'tv-tmp']);
});

test('system df lists volumes with sizes', { skip }, async () => {
  await ok(['run', '--rm', '-v', 'df-vol:/d', 'busybox', 'sh', '-c', 'head -c 5000 /dev/zero > /d/f']);
  const df = await ok(['system', 'df', '-v', '--format', '{{json .Volumes}}']);
  const vols = JSON.parse(df) as { Name: string; Size: string; Links: number }[];
  const v = vols.find((x) => x.Name === 'df-vol');
  assert.ok(v, df);
  assert.equal(v.Size, '5kB');
  await ok(['volume', 'rm', 'df-vol']);
});

// Layer apply and diff as root: overlay whiteouts (0/0 char devices, trusted.overlay.opaque),
// device nodes, owners, setuid, binary security.capability, checked through a real overlay mount;
// diff of an upper dir back to a tar; GNU tar's --xattrs archives applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requires, testName } from '../support/requires.ts';
import { applyLayer, type ApplyOptions } from '../../src/image/layer/apply.ts';
import { diffLayer } from '../../src/image/layer/diff.ts';
import { readTar, readAll } from '../../src/image/tar/reader.ts';
import type { TarHeader } from '../../src/image/tar/header.ts';
import { tarOf, chunks, withSandbox } from './support.ts';

const skip = requires('root');
const overlay: ApplyOptions = { whiteouts: 'overlay' };
const CAP = new Uint8Array([0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);

function xattr(p: string, name: string): Buffer | undefined {
  try {
    return execFileSync('getfattr', ['-h', '--only-values', '-n', name, p], { stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

const lower = [
  { name: 'etc/', type: 'directory' as const, mode: 0o755 },
  { name: 'etc/gone', data: 'g' },
  { name: 'etc/keep', data: 'k' },
  { name: 'opq/', type: 'directory' as const },
  { name: 'opq/hidden', data: 'h' },
  { name: 'bin/ping', data: 'elf', mode: 0o4755, uid: 1000, gid: 2000, xattrs: new Map([['security.capability', CAP]]) },
  { name: 'dev/null', type: 'char' as const, mode: 0o666, devmajor: 1, devminor: 3, mtime: 1234567890 },
  { name: 'dev/loop0', type: 'block' as const, mode: 0o660, devmajor: 7, devminor: 0, gid: 6 },
  { name: 'run/fifo', type: 'fifo' as const, mode: 0o620 },
  { name: 'x', data: 'x', xattrs: new Map([['user.bin', new Uint8Array([0, 0xff, 0x0a, 0x3d])], ['trusted.t', new Uint8Array([1, 2])]]) },
  { name: 'ln', type: 'symlink' as const, linkname: '/etc/keep', uid: 5, gid: 6 },
];
const upper = [
  { name: 'etc/.wh.gone', mtime: 1600000000 },
  { name: 'opq/', type: 'directory' as const, mode: 0o700 },
  { name: 'opq/.wh..wh..opq' },
  { name: 'opq/new', data: 'n' },
  { name: 'dev/null', type: 'char' as const, mode: 0o666, devmajor: 1, devminor: 3 },
];

test('overlay apply: device nodes, fifos, owners, setuid after chown, binary capability, xattrs', { skip }, () => withSandbox('apply-root', async (s) => {
  await applyLayer(chunks(await tarOf(lower)), s.root, overlay);
  const st = (p: string) => lstatSync(join(s.root, p));
  assert.equal(st('bin/ping').mode & 0o7777, 0o4755);
  assert.deepEqual([st('bin/ping').uid, st('bin/ping').gid], [1000, 2000]);
  assert.deepEqual([...xattr(join(s.root, 'bin/ping'), 'security.capability')!], [...CAP]);
  assert.ok(st('dev/null').isCharacterDevice());
  assert.equal(st('dev/null').rdev, (1 << 8) | 3);
  assert.equal(st('dev/null').mode & 0o7777, 0o666);
  assert.equal(st('dev/null').mtimeMs, 1234567890000);
  assert.ok(st('dev/loop0').isBlockDevice());
  assert.equal(st('dev/loop0').gid, 6);
  assert.ok(st('run/fifo').isFIFO());
  assert.equal(st('run/fifo').mode & 0o7777, 0o620);
  assert.deepEqual([...xattr(join(s.root, 'x'), 'user.bin')!], [0, 0xff, 0x0a, 0x3d]);
  assert.deepEqual([...xattr(join(s.root, 'x'), 'trusted.t')!], [1, 2]);
  assert.deepEqual([st('ln').uid, st('ln').gid], [5, 6]);
}));

test('overlay whiteouts and opaque dirs work through a real overlay mount; diff gives them back', { skip: skip || requires('overlay') }, () => withSandbox('overlay', async (s) => {
  const l1 = join(s.root, 'l1');
  const l2 = join(s.root, 'l2');
  const merged = join(s.base, testName('merged'));
  for (const d of [l1, l2, merged]) mkdirSync(d);
  await applyLayer(chunks(await tarOf(lower)), l1, overlay);
  await applyLayer(chunks(await tarOf(upper)), l2, overlay);
  const wh = lstatSync(join(l2, 'etc/gone'));
  assert.ok(wh.isCharacterDevice() && wh.rdev === 0);
  assert.equal(xattr(join(l2, 'opq'), 'trusted.overlay.opaque')?.toString(), 'y');

  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${l2}:${l1}`, merged]);
  try {
    assert.deepEqual(readdirSync(join(merged, 'etc')), ['keep']);
    assert.deepEqual(readdirSync(join(merged, 'opq')), ['new']);
    assert.equal(readFileSync(join(merged, 'etc/keep'), 'utf8'), 'k');
    assert.equal(readlinkSync(join(merged, 'ln')), '/etc/keep');
  } finally {
    execFileSync('umount', [merged]);
  }

  const collect = async () => {
    const parts: Buffer[] = [];
    for await (const c of diffLayer(l2)) parts.push(Buffer.from(c));
    return Buffer.concat(parts);
  };
  const tar = await collect();
  assert.ok(tar.equals(await collect()), 'diff is deterministic');
  const names: string[] = [];
  for await (const e of readTar(chunks(tar))) {
    names.push(e.header.name);
    await readAll(e.body);
  }
  assert.deepEqual(names, ['dev/', 'dev/null', 'etc/', 'etc/.wh.gone', 'opq/', 'opq/.wh..wh..opq', 'opq/new'].map((n) => n.replace(/\/$/, '')));

  // diff of the lower layer keeps the capability, hard links and devices
  const l1tar: Buffer[] = [];
  for await (const c of diffLayer(l1)) l1tar.push(Buffer.from(c));
  const headers = new Map<string, TarHeader>();
  for await (const e of readTar(chunks(Buffer.concat(l1tar)))) headers.set(e.header.name, e.header);
  assert.deepEqual([...headers.get('bin/ping')!.xattrs.get('security.capability')!], [...CAP]);
  assert.equal(headers.get('x')!.xattrs.size, 0, 'only security.capability by default, as Docker');
  assert.equal(headers.get('dev/loop0')!.type, 'block');
  assert.equal(headers.get('bin/ping')!.mode, 0o4755);

  // and applying the diff again reproduces the upper dir
  const again = join(s.root, 'again');
  mkdirSync(again);
  await applyLayer(chunks(tar), again, overlay);
  assert.ok(lstatSync(join(again, 'etc/gone')).isCharacterDevice());
  assert.equal(xattr(join(again, 'opq'), 'trusted.overlay.opaque')?.toString(), 'y');
  assert.equal(statSync(join(again, 'opq')).mode & 0o777, 0o700);
}));

test('GNU tar --xattrs archive with security.capability, devices and hard links applies', { skip }, () => withSandbox('gnutar', async (s) => {
  const src = join(s.base, 'src');
  mkdirSync(join(src, 'bin'), { recursive: true });
  writeFileSync(join(src, 'bin/ping'), 'elf');
  execFileSync('setfattr', ['-n', 'security.capability', '-v', `0x${Buffer.from(CAP).toString('hex')}`, join(src, 'bin/ping')]);
  execFileSync('ln', [join(src, 'bin/ping'), join(src, 'bin/ping6')]);
  execFileSync('mknod', [join(src, 'null'), 'c', '1', '3']);
  const file = join(s.base, 'l.tar');
  execFileSync('tar', ['--xattrs', '--xattrs-include=*', '--format=pax', '-cf', file, '-C', src, '.']);
  await applyLayer(chunks(readFileSync(file), 3000), s.root, { whiteouts: 'naive' });
  assert.deepEqual([...xattr(join(s.root, 'bin/ping'), 'security.capability')!], [...CAP]);
  assert.equal(lstatSync(join(s.root, 'bin/ping6')).ino, lstatSync(join(s.root, 'bin/ping')).ino);
  assert.ok(lstatSync(join(s.root, 'null')).isCharacterDevice());
}));

test('hostile (overlay mode): whiteouts and opaque markers through symlinks stay inside', { skip }, () => withSandbox('hostile-ovl', async (s) => {
  writeFileSync(join(s.outside, 'secret'), 's');
  const before = s.snapshot();
  await applyLayer(chunks(await tarOf([
    { name: 'esc', type: 'symlink', linkname: s.outside },
    { name: 'esc/.wh.secret' },
    { name: 'esc/.wh..wh..opq' },
    { name: 'rel', type: 'symlink', linkname: '../outside' },
    { name: 'rel/.wh.secret' },
    { name: 'dev', type: 'symlink', linkname: s.outside },
    { name: 'dev/null', type: 'char', devmajor: 1, devminor: 3 },
  ])), s.root, overlay);
  assert.equal(s.snapshot(), before);
  assert.equal(xattr(s.outside, 'trusted.overlay.opaque'), undefined);
  assert.ok(lstatSync(join(s.root, s.outside, 'secret')).isCharacterDevice());
  assert.ok(existsSync(join(s.root, 'outside/secret')));
}));

test('into an empty root: modes the umask would strip, entries given twice, root-owned under a setgid root', { skip }, () => withSandbox('apply-fresh', async (s) => {
  const entries = [
    { name: 'd/', type: 'directory' as const, mode: 0o777 },
    { name: 'd/w', data: 'w', mode: 0o666 },
    { name: 'd/p', data: 'p', mode: 0o640, uid: 7, gid: 8 },
    { name: 'd/sub/', type: 'directory' as const, mode: 0o700 },
    { name: 'd/sub/', type: 'directory' as const, mode: 0o750, uid: 3 },
    { name: 'e/f', data: 'implicit parent' },
    { name: 'e/', type: 'directory' as const, mode: 0o711 },
  ];
  const st = (root: string, p: string) => lstatSync(join(root, p));
  for (const setgid of [false, true]) {
    const root = join(s.root, setgid ? 'sgid' : 'plain');
    mkdirSync(root);
    if (setgid) execFileSync('chmod', ['2775', root]), execFileSync('chown', ['0:4', root]);
    await applyLayer(chunks(await tarOf(entries)), root, overlay);
    assert.equal(st(root, 'd').mode & 0o7777, 0o777);
    assert.equal(st(root, 'd/w').mode & 0o7777, 0o666);
    assert.deepEqual([st(root, 'd/p').mode & 0o7777, st(root, 'd/p').uid, st(root, 'd/p').gid], [0o640, 7, 8]);
    assert.deepEqual([st(root, 'd/sub').mode & 0o7777, st(root, 'd/sub').uid], [0o750, 3]);
    assert.equal(st(root, 'e').mode & 0o7777, 0o711);
    assert.equal(readFileSync(join(root, 'e/f'), 'utf8'), 'implicit parent');
    // Headers say root:root: under a setgid root new entries would take its group unless chowned.
    assert.deepEqual([st(root, 'd/w').uid, st(root, 'd/w').gid], [0, 0]);
    assert.equal(st(root, 'e/f').gid, 0);
  }
  // A file given twice: the second replaces the first (then every path is checked on disk).
  const twice = join(s.root, 'twice');
  mkdirSync(twice);
  await applyLayer(chunks(await tarOf([{ name: 't', data: 'one', mode: 0o600 }, { name: 't', data: 'two', mode: 0o644, uid: 9 }])), twice, overlay);
  assert.equal(readFileSync(join(twice, 't'), 'utf8'), 'two');
  assert.deepEqual([st(twice, 't').mode & 0o7777, st(twice, 't').uid], [0o644, 9]);
}));

// Golden archives written by GNU tar (pax with xattrs, gnu with long names and base-256 ids) read
// by our reader, and our writer's output read back by GNU tar.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, linkSync, utimesSync, rmSync, readFileSync, createReadStream, readlinkSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTar, readAll } from '../../src/image/tar/reader.ts';
import { writeTar } from '../../src/image/tar/writer.ts';
import { makeHeader, type TarHeader } from '../../src/image/tar/header.ts';

const hasAttr = (() => { try { execFileSync('which', ['setfattr']); return true; } catch { return false; } })();
const dir = mkdtempSync(join(tmpdir(), 'berth-tar-golden-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const D = 'd'.repeat(60);
const LONG_DIR = `${D}/${D}`;
const LONG_FILE = `${LONG_DIR}/file-with-a-long-name.txt`;
const LINK_TARGET = `/very/${D}/${D}/target`;

function makeTree(): string {
  const src = join(dir, 'src');
  mkdirSync(join(src, LONG_DIR), { recursive: true });
  writeFileSync(join(src, LONG_FILE), 'hi\n');
  symlinkSync(LINK_TARGET, join(src, 'abs'));
  linkSync(join(src, LONG_FILE), join(src, 'hard'));
  execFileSync('mkfifo', [join(src, 'fifo')]);
  writeFileSync(join(src, 'x'), 'x\n');
  if (hasAttr) execFileSync('setfattr', ['-n', 'user.bin', '-v', '0x00ff0a3d01', join(src, 'x')]);
  utimesSync(join(src, 'x'), 1577934245.5, 1577934245.5);
  return src;
}
const src = makeTree();

async function entries(file: string): Promise<Map<string, { h: TarHeader; body: string }>> {
  const m = new Map<string, { h: TarHeader; body: string }>();
  for await (const e of readTar(createReadStream(file, { highWaterMark: 1000 }))) {
    m.set(e.header.name.replace(/^\.\//, ''), { h: e.header, body: Buffer.from(await readAll(e.body)).toString() });
  }
  return m;
}

function checkCommon(m: Map<string, { h: TarHeader; body: string }>): void {
  assert.equal(m.get(LONG_FILE)?.body, 'hi\n');
  assert.equal(m.get(LONG_FILE)?.h.type, 'file');
  assert.equal(m.get(LONG_DIR)?.h.type, 'directory');
  assert.equal(m.get('abs')?.h.type, 'symlink');
  assert.equal(m.get('abs')?.h.linkname, LINK_TARGET);
  assert.equal(m.get('hard')?.h.type, 'link');
  assert.equal(m.get('hard')?.h.linkname.replace(/^\.\//, ''), LONG_FILE);
  assert.equal(m.get('fifo')?.h.type, 'fifo');
}

test('GNU tar --format=pax --xattrs: long names, binary xattr, fractional mtime', async () => {
  const file = join(dir, 'pax.tar');
  execFileSync('tar', ['--xattrs', '--format=pax', '-cf', file, '-C', src, '.']);
  const m = await entries(file);
  checkCommon(m);
  const x = m.get('x')!;
  assert.equal(x.h.mtime, 1577934245.5);
  if (hasAttr) assert.deepEqual([...x.h.xattrs.get('user.bin')!], [0x00, 0xff, 0x0a, 0x3d, 0x01]);
});

test('GNU tar --format=gnu: long names and links (L/K), base-256 uid/gid', async () => {
  const file = join(dir, 'gnu.tar');
  execFileSync('tar', ['--format=gnu', '--owner=big:3000000', '--group=big:4000000', '-cf', file, '-C', src, '.']);
  const raw = readFileSync(file);
  assert.ok(raw.includes('././@LongLink'), 'GNU long name entries are present');
  const m = await entries(file);
  checkCommon(m);
  assert.equal(m.get('x')?.h.uid, 3000000);
  assert.equal(m.get('x')?.h.gid, 4000000);
  assert.equal(m.get('x')?.h.uname, 'big');
});

test('GNU tar --format=ustar and v7 archives', async () => {
  const file = join(dir, 'ustar.tar');
  execFileSync('tar', ['--format=ustar', '-cf', file, '-C', src, 'x', 'fifo']);
  const m = await entries(file);
  assert.equal(m.get('x')?.body, 'x\n');
  const v7 = join(dir, 'v7.tar');
  execFileSync('tar', ['--format=v7', '-cf', v7, '-C', src, 'x']);
  assert.equal((await entries(v7)).get('x')?.body, 'x\n');
});

test('our writer → GNU tar extracts names, links, xattrs, modes and times', async () => {
  const cap = new Uint8Array([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const long = `${'n'.repeat(110)}/${'m'.repeat(110)}/f`;
  const file = join(dir, 'ours.tar');
  const chunks: Buffer[] = [];
  for await (const c of writeTar([
    { header: makeHeader({ name: 'dir', type: 'directory', mode: 0o750, mtime: 1600000000 }) },
    { header: makeHeader({ name: long, size: 2, mode: 0o640, mtime: 1600000000.75 }), body: Buffer.from('ok') },
    { header: makeHeader({ name: 'dir/x', size: 1, xattrs: new Map([['user.cap', cap]]) }), body: Buffer.from('1') },
    { header: makeHeader({ name: 'abs', type: 'symlink', linkname: `/${'t'.repeat(150)}` }) },
    { header: makeHeader({ name: 'hl', type: 'link', linkname: long }) },
  ])) chunks.push(Buffer.from(c));
  writeFileSync(file, Buffer.concat(chunks));
  const out = join(dir, 'out');
  mkdirSync(out);
  execFileSync('tar', ['--xattrs', '--xattrs-include=user.*', '-xf', file, '-C', out]);
  assert.equal(readFileSync(join(out, long), 'utf8'), 'ok');
  assert.equal(lstatSync(join(out, long)).mode & 0o7777, 0o640);
  assert.equal(lstatSync(join(out, long)).mtimeMs, 1600000000750);
  assert.equal(lstatSync(join(out, 'dir')).mode & 0o7777, 0o750);
  assert.equal(readlinkSync(join(out, 'abs')), `/${'t'.repeat(150)}`);
  assert.equal(lstatSync(join(out, 'hl')).ino, lstatSync(join(out, long)).ino);
  if (hasAttr) {
    const hex = execFileSync('getfattr', ['--only-values', '-n', 'user.cap', join(out, 'dir/x')], { stdio: ['ignore', 'pipe', 'ignore'] });
    assert.deepEqual([...hex], [...cap]);
  }
});

// Layer apply without root: contents, links, naive whiteouts, compression and diff ids, and one
// crafted tar per hostile case, each checking the sibling "outside" directory stays as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readlinkSync, readdirSync, writeFileSync, mkdirSync, symlinkSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { applyLayer, type ApplyOptions } from '../../src/image/layer/apply.ts';
import { isCode } from '../../src/errors/errors.ts';
import { tarOf, chunks, type Sandbox, withSandbox } from './support.ts';

type Spec = Parameters<typeof tarOf>[0];
const naive: ApplyOptions = { whiteouts: 'naive', chown: false };

async function apply(s: Sandbox, spec: Spec, opts: ApplyOptions = naive) {
  return applyLayer(chunks(await tarOf(spec), 1000), s.root, opts);
}

test('files, dirs, absolute symlinks kept verbatim, hard links, modes and mtimes', () => withSandbox('apply', async (s) => {
  const r = await apply(s, [
    { name: 'etc/', type: 'directory', mode: 0o750, mtime: 1600000000 },
    { name: 'etc/passwd', data: 'root:x:0:0\n', mode: 0o644, mtime: 1600000001.5 },
    { name: 'bin/sh', data: '#!', mode: 0o4755 },
    { name: 'lib', type: 'symlink', linkname: '/usr/lib', mtime: 1500000000 },
    { name: 'etc/pw2', type: 'link', linkname: 'etc/passwd' },
    { name: './usr/lib/x', data: 'x' },
  ]);
  assert.equal(r.entries, 6);
  assert.equal(r.compression, 'none');
  const st = (p: string) => lstatSync(join(s.root, p));
  assert.equal(readFileSync(join(s.root, 'etc/passwd'), 'utf8'), 'root:x:0:0\n');
  assert.equal(st('etc').mode & 0o7777, 0o750);
  assert.equal(st('etc').mtimeMs, 1600000000000);
  assert.equal(st('etc/passwd').mtimeMs, 1600000001500);
  assert.equal(st('bin/sh').mode & 0o7777, 0o4755);
  assert.equal(readlinkSync(join(s.root, 'lib')), '/usr/lib');
  assert.equal(st('lib').mtimeMs, 1500000000000);
  assert.equal(st('etc/pw2').ino, st('etc/passwd').ino);
}));

test('parents through an in-layer symlink resolve inside the root (lib -> usr/lib)', () => withSandbox('apply', async (s) => {
  await apply(s, [
    { name: 'usr/lib/', type: 'directory' },
    { name: 'lib', type: 'symlink', linkname: '/usr/lib' },
    { name: 'lib/libc.so', data: 'c' },
  ]);
  assert.equal(readFileSync(join(s.root, 'usr/lib/libc.so'), 'utf8'), 'c');
  assert.ok(lstatSync(join(s.root, 'lib')).isSymbolicLink());
}));

test('naive whiteouts delete; opaque directories keep only this layer\'s entries', () => withSandbox('apply', async (s) => {
  await apply(s, [
    { name: 'a/old', data: '1' }, { name: 'a/keep', data: '1' }, { name: 'gone/deep/f', data: '1' },
    { name: 'o/x', data: '1' }, { name: 'o/sub/y', data: '1' },
  ]);
  await apply(s, [
    { name: 'a/.wh.old' }, { name: '.wh.gone' },
    { name: 'o/', type: 'directory' }, { name: 'o/.wh..wh..opq' }, { name: 'o/new', data: '2' }, { name: 'o/sub/z', data: '2' },
  ]);
  assert.deepEqual(readdirSync(join(s.root, 'a')), ['keep']);
  assert.ok(!existsSync(join(s.root, 'gone')));
  assert.deepEqual(readdirSync(join(s.root, 'o')).sort(), ['new', 'sub']);
  assert.deepEqual(readdirSync(join(s.root, 'o/sub')), ['z']);
}));

test('gzip, zstd and plain layers give the same diff id; expectDiffID is checked', () => withSandbox('apply', async (s) => {
  const tar = await tarOf([{ name: 'f', data: 'hello' }]);
  const diffID = `sha256:${createHash('sha256').update(tar).digest('hex')}`;
  for (const [kind, bytes] of [['none', tar], ['gzip', gzipSync(tar)], ['zstd', zstdCompressSync(tar)]] as const) {
    const r = await applyLayer(chunks(bytes, 7), s.root, { ...naive, expectDiffID: diffID });
    assert.equal(r.compression, kind);
    assert.equal(r.diffID, diffID);
    assert.equal(r.size, tar.length);
  }
  await assert.rejects(applyLayer(chunks(tar), s.root, { ...naive, expectDiffID: `sha256:${'0'.repeat(64)}` }), /diff id mismatch/);
  // padding after the end marker counts, as in Docker's diff ids
  const padded = Buffer.concat([tar, Buffer.alloc(8192)]);
  const r = await applyLayer(chunks(gzipSync(padded)), s.root, naive);
  assert.equal(r.diffID, `sha256:${createHash('sha256').update(padded).digest('hex')}`);
}));

test('a corrupt gzip stream fails', () => withSandbox('apply', async (s) => {
  const gz = gzipSync(await tarOf([{ name: 'f', data: 'x'.repeat(5000) }]));
  gz[gz.length - 6] ^= 0xff;
  await assert.rejects(applyLayer(chunks(gz), s.root, naive));
}));

// --- hostile layers: nothing may change outside the root ---

async function hostile(tag: string, prepare: (s: Sandbox) => void, spec: (s: Sandbox) => Spec,
  check: (s: Sandbox, err: unknown) => void, opts: ApplyOptions = naive): Promise<void> {
  await withSandbox(`hostile-${tag}`, async (s) => {
    prepare(s);
    const before = s.snapshot();
    let err: unknown;
    try {
      await apply(s, spec(s), opts);
    } catch (e) {
      err = e;
    }
    assert.equal(s.snapshot(), before, 'outside is unchanged');
    check(s, err);
  });
}

const withSecret = (s: Sandbox) => {
  writeFileSync(join(s.outside, 'secret'), 'secret');
  chmodSync(join(s.outside, 'secret'), 0o600);
};
const refused = (re: RegExp) => (_s: Sandbox, err: unknown) => {
  assert.ok(isCode(err, 'InvalidArgument'), String(err));
  assert.match((err as Error).message, re);
};
const ok = (_s: Sandbox, err: unknown) => assert.equal(err, undefined);

const hostileCases: Array<[string, (s: Sandbox) => void, (s: Sandbox) => Spec, (s: Sandbox, err: unknown) => void]> = [
  ['dotdot', () => {}, () => [{ name: '../outside/pwn', data: 'x' }], refused(/outside of the layer root/)],
  ['dotdot-inner', () => {}, () => [{ name: 'a/../../outside/pwn', data: 'x' }], refused(/outside of the layer root/)],
  ['absolute-name', () => {}, (s) => [{ name: `${s.outside}/pwn`, data: 'x' }],
    (s, err) => { ok(s, err); assert.equal(readFileSync(join(s.root, s.outside, 'pwn'), 'utf8'), 'x'); }],
  ['symlink-chain', () => {}, () => [
    { name: 'a/', type: 'directory' },
    { name: 'a/p', type: 'symlink', linkname: '..' },
    { name: 'a/p/x', type: 'symlink', linkname: '..' },
    { name: 'a/p/x/outside/pwn', data: 'x' },
    { name: 'a/p/x/x/x/pwn2', data: 'x' },
  ], (s, err) => { ok(s, err); assert.ok(existsSync(join(s.root, 'outside/pwn'))); assert.ok(existsSync(join(s.root, 'pwn2'))); }],
  ['relative-symlink-out', () => {}, () => [
    { name: 'esc', type: 'symlink', linkname: '../../../outside' },
    { name: 'esc/pwn', data: 'x' },
  ], (s, err) => { ok(s, err); assert.ok(existsSync(join(s.root, 'outside/pwn'))); }],
  ['absolute-symlink-out', () => {}, (s) => [
    { name: 'esc', type: 'symlink', linkname: s.outside },
    { name: 'esc/pwn', data: 'x' },
    { name: 'esc/sub/', type: 'directory' },
  ], (s, err) => { ok(s, err); assert.ok(existsSync(join(s.root, s.outside, 'pwn'))); }],
  ['hardlink-dotdot', withSecret, () => [{ name: 'hl', type: 'link', linkname: '../outside/secret' }], refused(/outside of the layer root/)],
  ['hardlink-via-symlink', withSecret, (s) => [
    { name: 'esc', type: 'symlink', linkname: s.outside },
    { name: 'hl', type: 'link', linkname: 'esc/secret' },
  ], refused(/does not exist in the layer/)],
  ['hardlink-absolute', withSecret, (s) => [{ name: 'hl', type: 'link', linkname: `${s.outside}/secret` }], refused(/does not exist/)],
  ['hardlink-to-symlink-then-write', withSecret, (s) => [
    { name: 's', type: 'symlink', linkname: `${s.outside}/secret` },
    { name: 'h', type: 'link', linkname: 's' },
    { name: 'h', data: 'pwned' },
    { name: 's', data: 'pwned' },
  ], (s, err) => { ok(s, err); assert.equal(readFileSync(join(s.root, 'h'), 'utf8'), 'pwned'); }],
  ['file-over-symlink', withSecret, (s) => [
    { name: 'l', type: 'symlink', linkname: `${s.outside}/secret` },
    { name: 'l', data: 'pwned', mode: 0o777 },
  ], (s, err) => { ok(s, err); assert.ok(lstatSync(join(s.root, 'l')).isFile()); }],
  ['dir-over-symlink', () => {}, (s) => [
    { name: 'd', type: 'symlink', linkname: s.outside },
    { name: 'd/', type: 'directory', mode: 0o777 },
    { name: 'd/pwn', data: 'x' },
  ], (s, err) => { ok(s, err); assert.ok(lstatSync(join(s.root, 'd')).isDirectory()); }],
  ['whiteout-through-symlink', withSecret, (s) => [
    { name: 'esc', type: 'symlink', linkname: s.outside },
    { name: 'esc/.wh.secret' },
    { name: 'rel', type: 'symlink', linkname: '../outside' },
    { name: 'rel/.wh.secret' },
  ], ok],
  ['whiteout-dotdot', withSecret, () => [{ name: 'x/.wh...' }], refused(/invalid whiteout/)],
  ['opaque-through-symlink', withSecret, (s) => [
    { name: 'esc', type: 'symlink', linkname: s.outside },
    { name: 'esc/.wh..wh..opq' },
  ], ok],
  ['deferred-metadata-after-replace', withSecret, (s) => [
    { name: 'a/', type: 'directory' },
    { name: 'a/secret', data: 'x', mode: 0o777, mtime: 1 },
    { name: '.wh.a' },
    { name: 'a', type: 'symlink', linkname: s.outside },
  ], ok],
  ['deep-symlink-loop', () => {}, () => [
    { name: 'l1', type: 'symlink', linkname: 'l2' },
    { name: 'l2', type: 'symlink', linkname: 'l1' },
    { name: 'l1/pwn', data: 'x' },
  ], refused(/too many levels/)],
];

for (const [name, prep, spec, check] of hostileCases) {
  test(`hostile layer: ${name}`, () => hostile(name, prep, spec, check));
}

// The same layers applied by a worker thread (as large layers of a pull are): same outcome, same errors.
for (const [name, prep, spec, check] of hostileCases) {
  test(`hostile layer in a worker thread: ${name}`, () => hostile(name, prep, spec, check, { ...naive, worker: true }));
}

test('hostile: a pre-existing symlink in the target dir (from a lower apply) is never followed out', () => withSandbox('hostile-pre', async (s) => {
  withSecret(s);
  mkdirSync(join(s.root, 'd'));
  symlinkSync(s.outside, join(s.root, 'd/out'));
  const before = s.snapshot();
  await apply(s, [{ name: 'd/out/secret', data: 'pwned' }, { name: 'd/out/.wh.secret' }, { name: 'd/out', type: 'directory', mode: 0o777 }]);
  assert.equal(s.snapshot(), before);
}));

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScopedResolver, cleanEntryName } from './scoped-path.ts';

const root = mkdtempSync(join(tmpdir(), 'berth-scoped-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('cleanEntryName', () => {
  assert.equal(cleanEntryName('./a//b/./c/'), 'a/b/c');
  assert.equal(cleanEntryName('/etc/passwd'), 'etc/passwd');
  assert.equal(cleanEntryName('a/../b'), 'b');
  assert.equal(cleanEntryName('./'), '');
  assert.throws(() => cleanEntryName('../x'), /outside of the layer root/);
  assert.throws(() => cleanEntryName('a/../../x'), /outside of the layer root/);
  assert.throws(() => cleanEntryName('a\0b'), /NUL/);
});

test('symlinks resolve as if root were /', () => {
  mkdirSync(join(root, 'usr/lib'), { recursive: true });
  symlinkSync('/usr/lib', join(root, 'lib'));
  symlinkSync('../../../../..', join(root, 'up'));
  symlinkSync('usr', join(root, 'rel'));
  symlinkSync('/usr', join(root, 'etc'));
  symlinkSync('loop2', join(root, 'loop1'));
  symlinkSync('loop1', join(root, 'loop2'));
  const r = new ScopedResolver(root);
  assert.equal(r.resolve('lib/x', true), 'usr/lib/x');
  assert.equal(r.resolve('lib', false), 'lib');
  assert.equal(r.resolve('lib', true), 'usr/lib');
  assert.equal(r.resolve('up/etc/passwd', true), 'usr/passwd');
  assert.equal(r.resolve('up/x', true), 'x');
  assert.equal(r.resolve('rel/lib/../../up/y', true), 'y');
  assert.equal(r.resolve('etc/shadow', true), 'usr/shadow');
  assert.equal(r.resolve('missing/../../a', true), 'a');
  assert.throws(() => r.resolve('loop1/x', true), /too many levels/);
});

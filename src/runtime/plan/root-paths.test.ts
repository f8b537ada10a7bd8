import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, symlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { checkPathInRoot } from './root-paths.ts';

const root = mkdtempSync(join(tmpdir(), 'berth-rootpaths-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'a/b'), { recursive: true });
symlinkSync('../../..', join(root, 'a/b/up'));        // climbs out
symlinkSync('/run', join(root, 'varrun'));             // absolute: root-relative, fine
symlinkSync('b', join(root, 'a/p'));                   // relative, stays inside
symlinkSync('..', join(root, 'a/dd'));                 // a/dd -> .. (root), fine on its own
symlinkSync('loop2', join(root, 'loop1'));
symlinkSync('loop1', join(root, 'loop2'));

test('paths that stay inside pass', () => {
  for (const p of ['/a/b/c', '/varrun/x', '/a/p/x', '/a/dd/a/b', '/missing/deep/path']) checkPathInRoot(root, p, 'mount target');
});

test('a relative symlink climbing above the root is refused, even through a chain', () => {
  assert.throws(() => checkPathInRoot(root, '/a/b/up/x', 'mount target'), /points outside the root/);
  assert.throws(() => checkPathInRoot(root, '/a/dd/a/dd/a/b/up', 'mount target'), /points outside the root/);
});

test('symlink loops end with an error', () => {
  assert.throws(() => checkPathInRoot(root, '/loop1/x', 'mount target'), /too many levels/);
});

// Copy-up reads the image content through the container's rootfs: symlinks resolve inside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInRoot } from '../../src/container/service/volume-mounts.ts';

test('resolveInRoot: absolute and relative links and .. stay inside the root', async () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-test-resolve-'));
  try {
    mkdirSync(join(root, 'real', 'data'), { recursive: true });
    symlinkSync('/real', join(root, 'abs'));
    symlinkSync('../../../../etc', join(root, 'escape'));
    symlinkSync('real/data', join(root, 'rel'));
    symlinkSync('loop', join(root, 'loop'));
    assert.equal(await resolveInRoot(root, '/abs/data'), join(root, 'real', 'data'));
    assert.equal(await resolveInRoot(root, '/rel'), join(root, 'real', 'data'));
    assert.equal(await resolveInRoot(root, '/escape/passwd'), join(root, 'etc', 'passwd'));
    assert.equal(await resolveInRoot(root, '/../../x'), join(root, 'x'));
    assert.equal(await resolveInRoot(root, '/missing/y'), join(root, 'missing', 'y'));
    await assert.rejects(resolveInRoot(root, '/loop/z'), /too many links/);
  } finally { rmSync(root, { recursive: true, force: true }); }
});

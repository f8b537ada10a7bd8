import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicWrite, atomicWriteAll } from './atomic-write.ts';

test('atomicWriteAll: every file replaced with its mode; a failed write replaces none and leaves no temp file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-atomic-'));
  try {
    writeFileSync(join(dir, 'a'), 'old a');
    await atomicWriteAll([{ path: join(dir, 'a'), data: 'new a', mode: 0o600 }, { path: join(dir, 'b'), data: Buffer.from('new b') }]);
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'new a');
    assert.equal(readFileSync(join(dir, 'b'), 'utf8'), 'new b');
    assert.equal(statSync(join(dir, 'b')).mode & 0o777, 0o644);
    await assert.rejects(atomicWriteAll([{ path: join(dir, 'a'), data: 'newer a' }, { path: join(dir, 'missing', 'c'), data: 'c' }], { sync: false }), /ENOENT/);
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'new a');
    await atomicWrite(join(dir, 'b'), 'newer b', 0o640);
    assert.equal(readFileSync(join(dir, 'b'), 'utf8'), 'newer b');
    assert.deepEqual(readdirSync(dir).sort(), ['a', 'b']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

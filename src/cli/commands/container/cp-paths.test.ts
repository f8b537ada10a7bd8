import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanPath, prepareArchiveCopy, rebaseName, splitCpArg, splitPathDirEntry } from './cp-paths.ts';

test('paths: clean, split (keeping "/."), cp argument split', () => {
  assert.equal(cleanPath('/a//b/../c/.'), '/a/c');
  assert.deepEqual(splitPathDirEntry('/a/b/'), ['/a', 'b']);
  assert.deepEqual(splitPathDirEntry('/a/b/.'), ['/a/b', '.']);
  assert.deepEqual(splitCpArg('c1:/x'), ['c1', '/x']);
  assert.deepEqual(splitCpArg('/abs:x'), ['', '/abs:x']);
  assert.deepEqual(splitCpArg('./f:x'), ['', './f:x']);
  assert.deepEqual(rebaseName('/l/', '/target'), { path: '/target/', rebase: 'l' });
});

test('prepareArchiveCopy: Docker\'s cases', () => {
  const dir = { path: '/src/d', exists: true, isDir: true };
  const file = { path: '/src/f', exists: true, isDir: false };
  assert.deepEqual(prepareArchiveCopy(dir, { path: '/dst', exists: true, isDir: true }), { dstDir: '/dst', rename: undefined });
  assert.deepEqual(prepareArchiveCopy(dir, { path: '/dst/new', exists: false, isDir: false }), { dstDir: '/dst', rename: { from: 'd', to: 'new' } });
  assert.deepEqual(prepareArchiveCopy(file, { path: '/dst/g', exists: true, isDir: false }), { dstDir: '/dst', rename: { from: 'f', to: 'g' } });
  assert.deepEqual(prepareArchiveCopy({ ...file, rebaseName: 'link' }, { path: '/dst', exists: true, isDir: true }), { dstDir: '/dst', rename: { from: 'f', to: 'link' } });
  assert.deepEqual(prepareArchiveCopy({ path: '/src/d/.', exists: true, isDir: true }, { path: '/n', exists: false, isDir: false }), { dstDir: '/', rename: { from: '.', to: 'n' } });
  assert.throws(() => prepareArchiveCopy(dir, { path: '/dst/g', exists: true, isDir: false }), /cannot copy directory/);
  assert.throws(() => prepareArchiveCopy(file, { path: '/dst/none/', exists: false, isDir: false }), /no such directory/);
});

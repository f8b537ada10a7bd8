import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tarOf } from './support.ts';
import { countTarEntries, peek } from '../../src/image/layer/tar-probe.ts';

test('countTarEntries walks headers by their sizes: files, dirs, links, long names (PAX), a cut-off end', async () => {
  const entries = [
    { name: 'd/', type: 'directory' as const },
    { name: 'd/a', data: 'x'.repeat(1000) },
    { name: 'd/empty', data: '' },
    { name: 'l', type: 'symlink' as const, linkname: 'd/a' },
    { name: 'h', type: 'link' as const, linkname: 'd/a' },
    { name: `long/${'n'.repeat(150)}`, data: 'pax header first' },
    { name: 'last', data: 'y'.repeat(513) },
  ];
  const tar = await tarOf(entries);
  // The long name takes a PAX header of its own: 8 headers for 7 entries.
  assert.equal(countTarEntries(tar), 8);
  // Cut inside the last body, and inside a header block: what is whole is counted.
  assert.equal(countTarEntries(tar.subarray(0, tar.length - 1024 - 100)), 8);
  const firstTwo = 512 + 512 + 1024; // d/, then d/a and its 1000-byte body
  assert.equal(countTarEntries(tar.subarray(0, firstTwo + 100)), 2);
  assert.equal(countTarEntries(new Uint8Array(0)), 0);
  const bad = Buffer.from(tar);
  bad.write('zz', 512 + 124); // d/a's size field is not octal: the count stops there
  assert.equal(countTarEntries(bad), 1);
});

test('peek gives the head and then the whole stream again', async () => {
  async function* src(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < 10; i++) yield new Uint8Array(100).fill(i);
  }
  const { head, stream } = await peek(src(), 250);
  assert.equal(head.length, 3);
  const all: number[] = [];
  for await (const c of stream) all.push(c[0]);
  assert.deepEqual(all, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const short = await peek(src(), 5000);
  assert.equal(short.head.length, 10);
  let n = 0;
  for await (const _ of short.stream) n++;
  assert.equal(n, 10);
});

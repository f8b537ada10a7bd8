import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTar, readAll } from './reader.ts';
import { writeTar, encodeHeader, type WriteEntry } from './writer.ts';
import { makeHeader, BLOCK, parseNumeric, type TarHeader } from './header.ts';
import { encodePax } from './pax.ts';
import { isCode } from '../../errors/errors.ts';

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  return readAll(it);
}

/** Splits into awkward chunk sizes so the reader's block reassembly is exercised. */
async function* chunked(b: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function roundTrip(entries: WriteEntry[], chunk = 97): Promise<Array<{ h: TarHeader; body: Uint8Array }>> {
  const tar = await collect(writeTar(entries));
  assert.equal(tar.length % BLOCK, 0);
  const out: Array<{ h: TarHeader; body: Uint8Array }> = [];
  for await (const e of readTar(chunked(tar, chunk))) out.push({ h: e.header, body: await readAll(e.body) });
  return out;
}

const cap = new Uint8Array([0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x3d, 0xff, 0x20]);

test('round trip: every type, long names, xattrs with binary values, big ids, fractional mtime', async () => {
  const long = `${'a'.repeat(120)}/${'b'.repeat(120)}/file`;
  const entries: WriteEntry[] = [
    { header: makeHeader({ name: 'dir', type: 'directory', mode: 0o755, mtime: 1700000000 }) },
    { header: makeHeader({ name: 'dir/f', size: 5, mode: 0o4755, uid: 1000, gid: 1000, uname: 'u', gname: 'g' }), body: new TextEncoder().encode('hello') },
    { header: makeHeader({ name: 'bin/ping', size: 0, xattrs: new Map([['security.capability', cap], ['user.k', new Uint8Array([0, 0x0a, 0x3d])]]) }) },
    { header: makeHeader({ name: long, size: 3, mtime: 1700000000.25 }), body: new Uint8Array([1, 2, 3]) },
    { header: makeHeader({ name: 'abs', type: 'symlink', linkname: `/${'x'.repeat(200)}/target` }) },
    { header: makeHeader({ name: 'hl', type: 'link', linkname: 'dir/f' }) },
    { header: makeHeader({ name: 'dev/null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3 }) },
    { header: makeHeader({ name: 'dev/sda', type: 'block', devmajor: 8, devminor: 0 }) },
    { header: makeHeader({ name: 'fifo', type: 'fifo' }) },
    { header: makeHeader({ name: 'big', uid: 3_000_000_000, gid: 70_000_000, uname: 'n'.repeat(40) }) },
    { header: makeHeader({ name: 'ünï/cødé' }) },
    { header: makeHeader({ name: `${'p'.repeat(150)}/${'q'.repeat(90)}` }) },
  ];
  const got = await roundTrip(entries);
  assert.equal(got.length, entries.length);
  for (let i = 0; i < entries.length; i++) {
    const want = entries[i].header;
    const h = got[i].h;
    assert.equal(h.name, want.name);
    for (const k of ['type', 'mode', 'uid', 'gid', 'size', 'mtime', 'linkname', 'uname', 'gname', 'devmajor', 'devminor'] as const) {
      assert.deepEqual(h[k], want[k], `${want.name}: ${k}`);
    }
    assert.deepEqual([...h.xattrs].map(([k, v]) => [k, [...v]]), [...want.xattrs].map(([k, v]) => [k, [...v]]));
  }
  assert.deepEqual([...got[1].body], [...new TextEncoder().encode('hello')]);
  assert.deepEqual([...got[3].body], [1, 2, 3]);
});

test('ustar prefix split is used before PAX', () => {
  const blocks = encodeHeader(makeHeader({ name: `${'p'.repeat(150)}/${'q'.repeat(90)}` }));
  assert.equal(blocks.length, 1);
  assert.equal(encodeHeader(makeHeader({ name: 'x'.repeat(101) })).length, 4); // pax header, pax data, padding, main
});

test('a large body streams through in chunks and unread bodies are skipped', async () => {
  const big = new Uint8Array(3 * 1024 * 1024 + 7).map((_, i) => i & 0xff);
  const entries: WriteEntry[] = [
    { header: makeHeader({ name: 'big', size: big.length }), body: chunked(big, 65536) },
    { header: makeHeader({ name: 'after', size: 1 }), body: new Uint8Array([9]) },
  ];
  const tar = await collect(writeTar(entries));
  const names: string[] = [];
  let last: Uint8Array | undefined;
  for await (const e of readTar(chunked(tar, 100_000))) {
    names.push(e.header.name);
    if (e.header.name === 'after') last = await readAll(e.body);
  }
  assert.deepEqual(names, ['big', 'after']);
  assert.deepEqual([...last!], [9]);
});

test('reading a body after moving on is an error', async () => {
  const tar = await collect(writeTar([
    { header: makeHeader({ name: 'a', size: 1 }), body: new Uint8Array([1]) },
    { header: makeHeader({ name: 'b' }) },
  ]));
  const bodies: AsyncIterable<Uint8Array>[] = [];
  for await (const e of readTar(chunked(tar, 512))) bodies.push(e.body);
  await assert.rejects(readAll(bodies[0]), /after moving/);
});

test('checksum mismatch is refused', async () => {
  const tar = await collect(writeTar([{ header: makeHeader({ name: 'a' }) }]));
  tar[10] ^= 1;
  await assert.rejects(async () => { for await (const _ of readTar(chunked(tar, 512))) { /* */ } }, /checksum mismatch/);
});

test('truncated archive and wrong body size', async () => {
  const tar = await collect(writeTar([{ header: makeHeader({ name: 'a', size: 600 }), body: new Uint8Array(600) }]));
  await assert.rejects(async () => {
    for await (const e of readTar(chunked(tar.subarray(0, 700), 512))) await readAll(e.body);
  }, /unexpected end/);
  await assert.rejects(collect(writeTar([{ header: makeHeader({ name: 'a', size: 2 }), body: new Uint8Array(1) }])), /fewer bytes/);
});

function rawEntry(name: string, typeflag: string, data: Uint8Array): Uint8Array[] {
  const [main] = encodeHeader(makeHeader({ name, size: data.length }));
  const b = main.slice();
  b[156] = typeflag.charCodeAt(0);
  // fix checksum
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i];
  const s = sum.toString(8).padStart(6, '0');
  for (let i = 0; i < 6; i++) b[148 + i] = s.charCodeAt(i);
  const pad = new Uint8Array((BLOCK - (data.length % BLOCK)) % BLOCK);
  return [b, data, pad];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

test('LIBARCHIVE.xattr (base64, URL-encoded name), global PAX headers and GNU sparse refusal', async () => {
  const pax = encodePax([['LIBARCHIVE.xattr.security.capability', btoa(String.fromCharCode(...cap))], ['LIBARCHIVE.xattr.user.a%3Db', 'AA']]);
  const glob = encodePax([['uname', 'globaluser'], ['comment', 'hi']]);
  const tar = concat([
    ...rawEntry('pax_global_header', 'g', glob),
    ...rawEntry('PaxHeaders/f', 'x', pax),
    ...encodeHeader(makeHeader({ name: 'f' })),
    ...encodeHeader(makeHeader({ name: 'g' })),
    new Uint8Array(1024),
  ]);
  const hs: TarHeader[] = [];
  for await (const e of readTar(chunked(tar, 333))) hs.push(e.header);
  assert.deepEqual(hs.map((h) => h.name), ['f', 'g']);
  assert.deepEqual([...hs[0].xattrs.get('security.capability')!], [...cap]);
  assert.deepEqual([...hs[0].xattrs.get('user.a=b')!], [0]);
  assert.equal(hs[1].xattrs.size, 0);
  assert.equal(hs[1].uname, 'globaluser');
  assert.deepEqual(hs[1].pax, { comment: 'hi' });

  const sparse = concat([...rawEntry('s', 'S', new Uint8Array(0)), new Uint8Array(1024)]);
  await assert.rejects(async () => { for await (const _ of readTar(chunked(sparse, 512))) { /* */ } },
    (e: unknown) => isCode(e, 'NotImplemented') && /GNU sparse/.test((e as Error).message));
  const paxSparse = concat([...rawEntry('x', 'x', encodePax([['GNU.sparse.major', '1']])), ...encodeHeader(makeHeader({ name: 's' })), new Uint8Array(1024)]);
  await assert.rejects(async () => { for await (const _ of readTar(chunked(paxSparse, 512))) { /* */ } }, /PAX sparse/);
});

test('base-256 numbers', () => {
  const b = new Uint8Array(12);
  b[0] = 0x80; b[7] = 0x01; b[11] = 0x02;
  assert.equal(parseNumeric(b, 0, 12), 0x0100000002);
  const n = new Uint8Array(8).fill(0xff);
  assert.equal(parseNumeric(n, 0, 8), -1);
  const o = new TextEncoder().encode('0000755 \0');
  assert.equal(parseNumeric(o, 0, 8), 0o755);
});

test('release: every source chunk is handed back once, only after what was read from it is used', async () => {
  const big = new Uint8Array(700_000).map((_, i) => i % 251);
  const entries: WriteEntry[] = [
    { header: makeHeader({ name: 'a', size: 5 }), body: new TextEncoder().encode('hello') },
    { header: makeHeader({ name: 'p'.repeat(300), size: big.length }), body: big },
    { header: makeHeader({ name: 'skipped', size: 3000 }), body: new Uint8Array(3000) },
  ];
  const parts: Uint8Array[] = [];
  for await (const c of writeTar(entries)) parts.push(c);
  const whole = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { whole.set(p, o); o += p.length; }
  // Fresh chunks of uneven sizes; a released chunk is scribbled over, as a reused buffer would be.
  const given: Uint8Array[] = [];
  const released = new Set<Uint8Array>();
  async function* src(): AsyncGenerator<Uint8Array> {
    for (let i = 0, k = 0; i < whole.length; k++) {
      const n = [1000, 100_000, 333, 65536][k % 4];
      const c = whole.slice(i, i + n);
      i += n;
      given.push(c);
      yield c;
    }
  }
  const release = (c: Uint8Array) => {
    const orig = given.find((g) => g.buffer === c.buffer)!;
    assert.ok(!released.has(orig), 'released twice');
    released.add(orig);
    orig.fill(0xee);
  };
  const got: [string, number, string][] = [];
  for await (const e of readTar(src(), { release })) {
    if (e.header.name === 'skipped') continue;
    const h = createHashLike();
    for await (const c of e.body) h.add(c);
    got.push([e.header.name, e.header.size, h.sum()]);
  }
  assert.deepEqual(got, [['a', 5, sumOf(new TextEncoder().encode('hello'))], ['p'.repeat(300), big.length, sumOf(big)]]);
  assert.equal(released.size, given.length);
});

/** A cheap order-sensitive checksum (bodies arrive in pieces). */
function createHashLike() {
  let s = 0;
  let n = 0;
  return { add: (c: Uint8Array) => { for (const b of c) s = (s * 31 + b + n++) % 1_000_000_007; }, sum: () => String(s) };
}
const sumOf = (b: Uint8Array) => { const h = createHashLike(); h.add(b); return h.sum(); };

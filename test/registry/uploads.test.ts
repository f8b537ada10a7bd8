// Blob pushes and pulls over HTTP: monolithic, chunked, resume, bad input (nothing stored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistry, sha256, errorCode, pushBlob, type TestRegistry } from './harness.ts';

let reg: TestRegistry;
before(async () => { reg = await startRegistry(); });
after(async () => { await reg.close(); });

function blobPath(digest: string): string {
  const hex = digest.slice(7);
  return join(reg.root, 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}

function uploadsLeft(): string[] {
  return existsSync(join(reg.root, 'uploads')) ? readdirSync(join(reg.root, 'uploads')).filter((f) => !f.startsWith('.')) : [];
}

test('monolithic upload (POST ?digest=) then GET and HEAD with digest, type and length', async () => {
  const data = randomBytes(100_000);
  const digest = await pushBlob(reg.url, 'mono/app', data);
  const head = await fetch(`${reg.url}/v2/mono/app/blobs/${digest}`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('docker-content-digest'), digest);
  assert.equal(head.headers.get('content-length'), '100000');
  assert.equal(head.headers.get('content-type'), 'application/octet-stream');
  const get = await fetch(`${reg.url}/v2/mono/app/blobs/${digest}`);
  assert.deepEqual(Buffer.from(await get.arrayBuffer()), data);
  // not linked into another repository
  const other = await fetch(`${reg.url}/v2/other/blobs/${digest}`);
  assert.equal(other.status, 404);
  assert.equal(await errorCode(other), 'BLOB_UNKNOWN');
});

test('POST session then single PUT with the body', async () => {
  const data = Buffer.from('put-only body');
  const post = await fetch(`${reg.url}/v2/single/blobs/uploads/`, { method: 'POST' });
  assert.equal(post.status, 202);
  const loc = post.headers.get('location')!;
  assert.match(loc, /^\/v2\/single\/blobs\/uploads\/[0-9a-f-]{36}$/);
  const put = await fetch(`${reg.url}${loc}?digest=${sha256(data)}`, { method: 'PUT', body: data, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(put.status, 201);
  assert.equal(put.headers.get('docker-content-digest'), sha256(data));
  assert.equal(put.headers.get('location'), `/v2/single/blobs/${sha256(data)}`);
});

test('chunked upload with Content-Range, status and resume, then PUT ?digest=', async () => {
  const data = randomBytes(300_000);
  const post = await fetch(`${reg.url}/v2/chunked/app/blobs/uploads/`, { method: 'POST' });
  assert.equal(post.status, 202);
  assert.equal(post.headers.get('range'), '0-0');
  let loc = post.headers.get('location')!;
  const chunks = [data.subarray(0, 100_000), data.subarray(100_000, 250_000), data.subarray(250_000)];
  let offset = 0;
  for (const [i, c] of chunks.entries()) {
    const res = await fetch(`${reg.url}${loc}`, {
      method: 'PATCH', body: c,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${offset}-${offset + c.length - 1}`, 'Content-Length': String(c.length) },
    });
    assert.equal(res.status, 202, `chunk ${i}`);
    offset += c.length;
    assert.equal(res.headers.get('range'), `0-${offset - 1}`);
    loc = res.headers.get('location')!;
    // status (resume point) after each chunk
    const st = await fetch(`${reg.url}${loc}`);
    assert.equal(st.status, 204);
    assert.equal(st.headers.get('range'), `0-${offset - 1}`);
    assert.ok(st.headers.get('docker-upload-uuid'));
  }
  const digest = sha256(data);
  const put = await fetch(`${reg.url}${loc}?digest=${digest}`, { method: 'PUT' });
  assert.equal(put.status, 201);
  const get = await fetch(`${reg.url}/v2/chunked/app/blobs/${digest}`);
  assert.deepEqual(Buffer.from(await get.arrayBuffer()), data);
  assert.deepEqual(uploadsLeft(), []);
});

test('streamed PATCH without Content-Range (docker style) then PUT with the last chunk', async () => {
  const a = randomBytes(70_000);
  const b = randomBytes(5_000);
  const post = await fetch(`${reg.url}/v2/stream/blobs/uploads/`, { method: 'POST' });
  const loc = post.headers.get('location')!;
  const patch = await fetch(`${reg.url}${loc}`, { method: 'PATCH', body: a });
  assert.equal(patch.status, 202);
  assert.equal(patch.headers.get('range'), `0-${a.length - 1}`);
  const all = Buffer.concat([a, b]);
  const put = await fetch(`${reg.url}${patch.headers.get('location')}?digest=${sha256(all)}`, {
    method: 'PUT', body: b, headers: { 'Content-Range': `${a.length}-${all.length - 1}` },
  });
  assert.equal(put.status, 201);
  assert.equal((await fetch(`${reg.url}/v2/stream/blobs/${sha256(all)}`, { method: 'HEAD' })).headers.get('content-length'), String(all.length));
});

test('out-of-order chunk → 416 with the stored range; the upload can go on', async () => {
  const post = await fetch(`${reg.url}/v2/ooo/blobs/uploads/`, { method: 'POST' });
  const loc = post.headers.get('location')!;
  const first = Buffer.alloc(1000, 1);
  assert.equal((await fetch(`${reg.url}${loc}`, { method: 'PATCH', body: first, headers: { 'Content-Range': '0-999' } })).status, 202);
  const skip = await fetch(`${reg.url}${loc}`, { method: 'PATCH', body: Buffer.alloc(10), headers: { 'Content-Range': '2000-2009' } });
  assert.equal(skip.status, 416);
  assert.equal(skip.headers.get('range'), '0-999');
  assert.equal(skip.headers.get('location'), loc);
  await skip.arrayBuffer();
  const again = await fetch(`${reg.url}${loc}`, { method: 'PATCH', body: Buffer.alloc(10), headers: { 'Content-Range': '0-9' } });
  assert.equal(again.status, 416);
  await again.arrayBuffer();
  const second = Buffer.alloc(500, 2);
  assert.equal((await fetch(`${reg.url}${loc}`, { method: 'PATCH', body: second, headers: { 'Content-Range': '1000-1499' } })).status, 202);
  const put = await fetch(`${reg.url}${loc}?digest=${sha256(Buffer.concat([first, second]))}`, { method: 'PUT' });
  assert.equal(put.status, 201);
});

test('wrong digest → DIGEST_INVALID and nothing stored (monolithic and chunked)', async () => {
  const data = Buffer.from('the real content');
  const claimed = sha256('something else');
  const mono = await fetch(`${reg.url}/v2/bad/blobs/uploads/?digest=${claimed}`, { method: 'POST', body: data });
  assert.equal(mono.status, 400);
  assert.equal(await errorCode(mono), 'DIGEST_INVALID');
  assert.equal(existsSync(blobPath(claimed)), false);
  assert.equal(existsSync(blobPath(sha256(data))), false);

  const post = await fetch(`${reg.url}/v2/bad/blobs/uploads/`, { method: 'POST' });
  const loc = post.headers.get('location')!;
  await fetch(`${reg.url}${loc}`, { method: 'PATCH', body: data });
  const put = await fetch(`${reg.url}${loc}?digest=${claimed}`, { method: 'PUT' });
  assert.equal(put.status, 400);
  assert.equal(await errorCode(put), 'DIGEST_INVALID');
  assert.equal(existsSync(blobPath(claimed)), false);
  assert.equal(existsSync(blobPath(sha256(data))), false);
  assert.equal((await fetch(`${reg.url}/v2/bad/blobs/${claimed}`, { method: 'HEAD' })).status, 404);
  // the session is gone after a failed completion
  const st = await fetch(`${reg.url}${loc}`);
  assert.equal(await errorCode(st), 'BLOB_UPLOAD_UNKNOWN');

  const before = uploadsLeft();
  const malformed = await fetch(`${reg.url}/v2/bad/blobs/uploads/?digest=sha256:xyz`, { method: 'POST', body: data });
  assert.equal(await errorCode(malformed), 'DIGEST_INVALID');
  assert.deepEqual(uploadsLeft(), before);
});

test('unknown upload id → BLOB_UPLOAD_UNKNOWN for GET, PATCH, PUT, DELETE; session of another repo too', async () => {
  const bogus = '/v2/x/blobs/uploads/00000000-0000-0000-0000-000000000000';
  for (const [method, body] of [['GET'], ['PATCH', 'abc'], ['PUT', 'abc'], ['DELETE']] as const) {
    const res = await fetch(`${reg.url}${bogus}${method === 'PUT' ? `?digest=${sha256('abc')}` : ''}`, { method, body });
    assert.equal(res.status, 404, method);
    assert.equal(await errorCode(res), 'BLOB_UPLOAD_UNKNOWN', method);
  }
  const notUuid = await fetch(`${reg.url}/v2/x/blobs/uploads/..%2f..%2fblobs`);
  assert.equal(await errorCode(notUuid), 'BLOB_UPLOAD_UNKNOWN');
  const post = await fetch(`${reg.url}/v2/mine/blobs/uploads/`, { method: 'POST' });
  const id = post.headers.get('docker-upload-uuid')!;
  const stolen = await fetch(`${reg.url}/v2/theirs/blobs/uploads/${id}`);
  assert.equal(await errorCode(stolen), 'BLOB_UPLOAD_UNKNOWN');
  const cancel = await fetch(`${reg.url}/v2/mine/blobs/uploads/${id}`, { method: 'DELETE' });
  assert.equal(cancel.status, 204);
  assert.equal(await errorCode(await fetch(`${reg.url}/v2/mine/blobs/uploads/${id}`)), 'BLOB_UPLOAD_UNKNOWN');
});

test('blob Range requests: 206 with Content-Range, suffix, open-ended, unsatisfiable 416', async () => {
  const data = randomBytes(10_000);
  const digest = await pushBlob(reg.url, 'ranges', data);
  const url = `${reg.url}/v2/ranges/blobs/${digest}`;
  let res = await fetch(url, { headers: { Range: 'bytes=100-199' } });
  assert.equal(res.status, 206);
  assert.equal(res.headers.get('content-range'), 'bytes 100-199/10000');
  assert.equal(res.headers.get('content-length'), '100');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), data.subarray(100, 200));
  res = await fetch(url, { headers: { Range: 'bytes=9990-' } });
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), data.subarray(9990));
  res = await fetch(url, { headers: { Range: 'bytes=-5' } });
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), data.subarray(9995));
  res = await fetch(url, { headers: { Range: 'bytes=10000-20000' } });
  assert.equal(res.status, 416);
  assert.equal(res.headers.get('content-range'), 'bytes */10000');
  await res.arrayBuffer();
});

test('cross-repository mount: 201 when the source has it, 202 session otherwise', async () => {
  const data = Buffer.from('mount me');
  const digest = await pushBlob(reg.url, 'mount/src', data);
  const ok = await fetch(`${reg.url}/v2/mount/dst/blobs/uploads/?mount=${digest}&from=mount/src`, { method: 'POST' });
  assert.equal(ok.status, 201);
  assert.equal(ok.headers.get('location'), `/v2/mount/dst/blobs/${digest}`);
  assert.equal(ok.headers.get('docker-content-digest'), digest);
  assert.equal((await fetch(`${reg.url}/v2/mount/dst/blobs/${digest}`, { method: 'HEAD' })).status, 200);
  const missing = sha256('not there');
  const fallback = await fetch(`${reg.url}/v2/mount/dst2/blobs/uploads/?mount=${missing}&from=mount/src`, { method: 'POST' });
  assert.equal(fallback.status, 202);
  assert.match(fallback.headers.get('location')!, /\/v2\/mount\/dst2\/blobs\/uploads\//);
  const badFrom = await fetch(`${reg.url}/v2/mount/dst3/blobs/uploads/?mount=${digest}&from=../etc`, { method: 'POST' });
  assert.equal(badFrom.status, 202);
});

test('blob delete, and deletes off → UNSUPPORTED', async () => {
  const digest = await pushBlob(reg.url, 'del/blob', Buffer.from('delete me'));
  const del = await fetch(`${reg.url}/v2/del/blob/blobs/${digest}`, { method: 'DELETE' });
  assert.equal(del.status, 202);
  assert.equal((await fetch(`${reg.url}/v2/del/blob/blobs/${digest}`, { method: 'HEAD' })).status, 404);
  const again = await fetch(`${reg.url}/v2/del/blob/blobs/${digest}`, { method: 'DELETE' });
  assert.equal(await errorCode(again), 'BLOB_UNKNOWN');

  const off = await startRegistry({ deleteEnabled: false });
  try {
    const d = await pushBlob(off.url, 'keep', Buffer.from('keep me'));
    const res = await fetch(`${off.url}/v2/keep/blobs/${d}`, { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.equal(await errorCode(res), 'UNSUPPORTED');
    assert.equal((await fetch(`${off.url}/v2/keep/blobs/${d}`, { method: 'HEAD' })).status, 200);
  } finally {
    await off.close();
  }
});

test('invalid names and path traversal → NAME_INVALID; nothing created outside the root', async () => {
  for (const name of ['..%2F..%2Fetc', 'UPPER', 'a/%2E%2E%2Fb', '_hidden', 'a//b', 'a%2F..%2F..%2Fx', '.dot']) {
    const res = await fetch(`${reg.url}/v2/${name}/blobs/uploads/`, { method: 'POST' });
    assert.equal(res.status, 400, name);
    assert.equal(await errorCode(res), 'NAME_INVALID', name);
  }
  const tags = await fetch(`${reg.url}/v2/..%2f..%2f/tags/list`);
  assert.equal(await errorCode(tags), 'NAME_INVALID');
  assert.equal(existsSync(join(reg.root, '..', 'etc', '_layers')), false);
  // a literal `..` segment, as a raw request (fetch would normalize it away)
  const { request } = await import('node:http');
  const raw = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: reg.running.port, path: '/v2/a/../../b/blobs/uploads/', method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject).end();
  });
  assert.equal(raw.status, 400);
  assert.match(raw.body, /NAME_INVALID/);
  const long = 'a'.repeat(256);
  assert.equal(await errorCode(await fetch(`${reg.url}/v2/${long}/tags/list`)), 'NAME_INVALID');
});

test('a client that disconnects mid-upload leaves no blob', async () => {
  const { request } = await import('node:http');
  const data = randomBytes(50_000);
  const digest = sha256(data);
  const before = uploadsLeft();
  await new Promise<void>((resolve) => {
    const req = request(`${reg.url}/v2/cut/blobs/uploads/?digest=${digest}`, { method: 'POST', headers: { 'Content-Length': String(data.length) } });
    req.on('error', () => resolve());
    req.write(data.subarray(0, 20_000), () => setTimeout(() => { req.destroy(); resolve(); }, 50));
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(existsSync(blobPath(digest)), false);
  assert.equal((await fetch(`${reg.url}/v2/cut/blobs/${digest}`, { method: 'HEAD' })).status, 404);
  assert.deepEqual(uploadsLeft(), before);
});

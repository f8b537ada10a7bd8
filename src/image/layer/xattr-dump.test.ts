import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRestore, parseDump } from './xattr-dump.ts';

test('restore format: octal-escaped paths, hex values, round trip through the dump parser', () => {
  const items = [
    { path: '/r/a b\nc=d\\é', xattrs: new Map([['security.capability', new Uint8Array([1, 0, 0x0a, 0xff])], ['user.e', new Uint8Array(0)]]) },
    { path: '/r/none', xattrs: new Map() },
  ];
  const text = encodeRestore(items);
  assert.equal(text, '# file: /r/a\\040b\\012c\\075d\\134\\303\\251\nsecurity.capability=0x01000aff\nuser.e=""\n\n');
  const back = parseDump(text);
  assert.deepEqual([...back.keys()], ['/r/a b\nc=d\\é']);
  assert.deepEqual([...back.get('/r/a b\nc=d\\é')!.get('security.capability')!], [1, 0, 0x0a, 0xff]);
  assert.equal(back.get('/r/a b\nc=d\\é')!.get('user.e')!.length, 0);
});

test('getfattr dump values: hex, quoted text, base64', () => {
  const m = parseDump('# file: x\nuser.a=0x4142\nuser.b="hi"\nuser.c=0sQUI=\n\n# file: y\ntrusted.overlay.opaque=0x79\n');
  assert.equal(Buffer.from(m.get('x')!.get('user.a')!).toString(), 'AB');
  assert.equal(Buffer.from(m.get('x')!.get('user.b')!).toString(), 'hi');
  assert.equal(Buffer.from(m.get('x')!.get('user.c')!).toString(), 'AB');
  assert.deepEqual([...m.get('y')!.get('trusted.overlay.opaque')!], [0x79]);
});

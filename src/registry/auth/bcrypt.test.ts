import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bcryptVerify, piWords } from './bcrypt.ts';
import { verifyHash, parseHtpasswd } from './htpasswd.ts';

test('pi words start as the Blowfish P-array', () => {
  const w = piWords();
  assert.equal(w.length, 1042);
  assert.equal(w[0], 0x243f6a88);
  assert.equal(w[1], 0x85a308d3);
  assert.equal(w[17], 0x8979fb1b);
  assert.equal(w[18], 0xd1310ba6); // S-box 0, word 0
  assert.equal(w[1041], 0x3ac372e6); // S-box 3, word 255
});

test('bcrypt: OpenWall vectors and libxcrypt hashes ($2a$, $2b$, $2y$)', () => {
  assert.equal(bcryptVerify('U*U', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW'), true);
  assert.equal(bcryptVerify('U*U*', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK'), true);
  assert.equal(bcryptVerify('', '$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy'), true);
  assert.equal(bcryptVerify('s3cret', '$2b$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK'), true);
  assert.equal(bcryptVerify('readpw', '$2y$05$zyxwvutsrqponmlkjihgfe6L9ChzHX2imsD1gnS3QbClqLVn94GbK'), true);
  assert.equal(bcryptVerify('readpx', '$2y$05$zyxwvutsrqponmlkjihgfe6L9ChzHX2imsD1gnS3QbClqLVn94GbK'), false);
  assert.equal(bcryptVerify('x', '$2y$05$short'), false);
  assert.equal(bcryptVerify('x', '$2y$99$zyxwvutsrqponmlkjihgfe6L9ChzHX2imsD1gnS3QbClqLVn94GbK'), false);
});

test('htpasswd lines and {SHA} hashes', () => {
  const users = parseHtpasswd('# comment\nalice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n\nbroken\nbob:$2y$05$x\n');
  assert.deepEqual([...users.keys()], ['alice', 'bob']);
  assert.equal(verifyHash('password', users.get('alice')!), true);
  assert.equal(verifyHash('Password', users.get('alice')!), false);
  assert.equal(verifyHash('x', 'plaintext'), false);
});

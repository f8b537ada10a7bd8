// The TS encoder against the C decoder (`berth-helper --decode`): every op type round-trips
// with the same fields, and the TS decoder agrees with the encoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { encodeMessage, decodeMessage } from './protocol-codec.ts';
import { OP_TABLE, type Op } from './protocol.gen.ts';
import { helperPath } from './helper-path.ts';

const sample = (type: string, i: number): unknown => {
  switch (type) {
    case 'u32': return 4000000000 - i;
    case 'i32': return -5 - i;
    case 'u64': return 0xfedcba9876543210n - BigInt(i);
    case 'str': return `välue "${i}"\n\\`;
    case 'bytes': return new Uint8Array([0, 1, 255, i & 255]);
    case 'strs': return ['a', '', `b${i}`];
    case 'u32s': return [0, 1, 0xffffffff];
  }
  throw new Error(type);
};

const ALL: Op[] = OP_TABLE.map((d) => Object.fromEntries([['op', d.op], ...d.fields.map(([n, t], i) => [n, sample(t, i)])]) as Op);
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

test('TS decode(encode(ops)) is the identity for every op type', () => {
  const frame = encodeMessage(ALL);
  assert.deepEqual(decodeMessage(frame.subarray(4)), ALL);
});

test('the C decoder reads what the TS encoder writes, field by field', () => {
  const out = execFileSync(helperPath(), ['--decode'], { input: encodeMessage(ALL) });
  const decoded = JSON.parse(out.toString()) as Record<string, unknown>[];
  assert.equal(decoded.length, ALL.length);
  ALL.forEach((op, i) => {
    const def = OP_TABLE.find((d) => d.op === op.op)!;
    assert.equal(decoded[i].op, snake(op.op));
    for (const [name, type] of def.fields) {
      const want = (op as unknown as Record<string, unknown>)[name];
      const got = decoded[i][snake(name)];
      if (type === 'u64') assert.equal(got, String(want));
      else if (type === 'bytes') assert.equal(got, Buffer.from(want as Uint8Array).toString('hex'));
      else assert.deepEqual(got, want, `${op.op}.${name}`);
    }
  });
});

test('the C decoder refuses a corrupt message', () => {
  const frame = Buffer.from(encodeMessage(ALL));
  frame[4] ^= 0xff;
  assert.throws(() => execFileSync(helperPath(), ['--decode'], { input: frame, stdio: 'pipe' }), /bad magic/);
});

test('the encoder refuses what the helper could not take', () => {
  assert.throws(() => encodeMessage([{ op: 'sync', name: 'a\0b' }]), /NUL/);
  assert.throws(() => encodeMessage([{ op: 'umask', mask: -1 }]), /not a u32/);
  assert.throws(() => encodeMessage([{ op: 'rlimit', resource: 1, soft: -1n, hard: 0n }]), /not a u64/);
  assert.throws(() => encodeMessage([{ op: 'nope' } as unknown as Op]), /unknown op/);
});

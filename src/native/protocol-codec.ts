// @pure
// Encodes an op list into the helper's wire format (see protocol-def.ts) and decodes it
// back (for tests and the helper's decode-only mode cross-check). Limits match the C decoder.
import { OP_TABLE, PROTOCOL_MAGIC, PROTOCOL_VERSION, type Op, type WireType } from './protocol.gen.ts';
import { invalidArgument } from '../errors/errors.ts';

export const LIMITS = { str: 65535, bytes: 1 << 20, strs: 4096, u32s: 65536, message: 16 << 20 } as const;

const BY_TAG = new Map(OP_TABLE.map((d) => [d.op, d]));
const BY_CODE = new Map(OP_TABLE.map((d) => [d.code, d]));
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

class Writer {
  buf = new Uint8Array(4096);
  len = 0;
  private ensure(n: number): DataView {
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    return new DataView(this.buf.buffer, this.buf.byteOffset);
  }
  u16(v: number): void { this.ensure(2).setUint16(this.len, v, true); this.len += 2; }
  u32(v: number): void { this.ensure(4).setUint32(this.len, v, true); this.len += 4; }
  i32(v: number): void { this.ensure(4).setInt32(this.len, v, true); this.len += 4; }
  u64(v: bigint): void { this.ensure(8).setBigUint64(this.len, v, true); this.len += 8; }
  raw(b: Uint8Array): void { this.ensure(b.length); this.buf.set(b, this.len); this.len += b.length; }
  patchU32(at: number, v: number): void { new DataView(this.buf.buffer, this.buf.byteOffset).setUint32(at, v, true); }
}

function str(w: Writer, s: string, what: string): void {
  if (typeof s !== 'string') throw invalidArgument(`${what}: expected a string`);
  if (s.includes('\0')) throw invalidArgument(`${what}: NUL byte in ${JSON.stringify(s)}`);
  const b = utf8.encode(s);
  if (b.length > LIMITS.str) throw invalidArgument(`${what}: longer than ${LIMITS.str} bytes`);
  w.u32(b.length);
  w.raw(b);
}

function field(w: Writer, type: WireType, v: unknown, what: string): void {
  const int = (min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidArgument(`${what}: ${String(v)} is not a ${type}`);
    return v;
  };
  switch (type) {
    case 'u32': w.u32(int(0, 0xffffffff)); break;
    case 'i32': w.i32(int(-0x80000000, 0x7fffffff)); break;
    case 'u64':
      if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) throw invalidArgument(`${what}: ${String(v)} is not a u64`);
      w.u64(v);
      break;
    case 'str': str(w, v as string, what); break;
    case 'bytes': {
      if (!(v instanceof Uint8Array) || v.length > LIMITS.bytes) throw invalidArgument(`${what}: expected at most ${LIMITS.bytes} bytes`);
      w.u32(v.length);
      w.raw(v);
      break;
    }
    case 'strs': {
      const a = v as string[];
      if (!Array.isArray(a) || a.length > LIMITS.strs) throw invalidArgument(`${what}: expected at most ${LIMITS.strs} strings`);
      w.u32(a.length);
      a.forEach((s, i) => str(w, s, `${what}[${i}]`));
      break;
    }
    case 'u32s': {
      const a = v as number[];
      if (!Array.isArray(a) || a.length > LIMITS.u32s) throw invalidArgument(`${what}: expected at most ${LIMITS.u32s} numbers`);
      w.u32(a.length);
      a.forEach((n, i) => field(w, 'u32', n, `${what}[${i}]`));
      break;
    }
  }
}

/** The framed message: u32 length, then the message. */
export function encodeMessage(ops: readonly Op[]): Uint8Array {
  const w = new Writer();
  w.u32(0);
  w.u32(PROTOCOL_MAGIC);
  w.u16(PROTOCOL_VERSION);
  w.u16(0);
  w.u32(ops.length);
  ops.forEach((op, i) => {
    const def = BY_TAG.get(op.op);
    if (!def) throw invalidArgument(`op ${i}: unknown op ${JSON.stringify(op.op)}`);
    w.u16(def.code);
    w.u16(0);
    const lenAt = w.len;
    w.u32(0);
    const rec = op as unknown as Record<string, unknown>;
    for (const [name, type] of def.fields) field(w, type, rec[name], `op ${i} (${op.op}).${name}`);
    w.patchU32(lenAt, w.len - lenAt - 4);
  });
  if (w.len - 4 > LIMITS.message) throw invalidArgument(`helper message larger than ${LIMITS.message} bytes`);
  w.patchU32(0, w.len - 4);
  return w.buf.slice(0, w.len);
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  private readonly b: Uint8Array;
  private readonly end: number;
  constructor(b: Uint8Array, end: number) {
    this.b = b;
    this.end = end;
    this.view = new DataView(b.buffer, b.byteOffset, b.length);
  }
  need(n: number): void { if (this.pos + n > this.end) throw invalidArgument('helper message truncated'); }
  u16(): number { this.need(2); const v = this.view.getUint16(this.pos, true); this.pos += 2; return v; }
  u32(): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }
  i32(): number { this.need(4); const v = this.view.getInt32(this.pos, true); this.pos += 4; return v; }
  u64(): bigint { this.need(8); const v = this.view.getBigUint64(this.pos, true); this.pos += 8; return v; }
  raw(n: number): Uint8Array { this.need(n); const v = this.b.slice(this.pos, this.pos + n); this.pos += n; return v; }
}

function readField(r: Reader, type: WireType): unknown {
  const count = (max: number) => { const n = r.u32(); if (n > max) throw invalidArgument('helper message: count over limit'); return n; };
  switch (type) {
    case 'u32': return r.u32();
    case 'i32': return r.i32();
    case 'u64': return r.u64();
    case 'str': return fromUtf8.decode(r.raw(count(LIMITS.str)));
    case 'bytes': return r.raw(count(LIMITS.bytes));
    case 'strs': return Array.from({ length: count(LIMITS.strs) }, () => fromUtf8.decode(r.raw(count(LIMITS.str))));
    case 'u32s': return Array.from({ length: count(LIMITS.u32s) }, () => r.u32());
  }
}

/** Decodes a message (without its frame length). */
export function decodeMessage(b: Uint8Array): Op[] {
  const r = new Reader(b, b.length);
  if (r.u32() !== PROTOCOL_MAGIC) throw invalidArgument('helper message: bad magic');
  if (r.u16() !== PROTOCOL_VERSION) throw invalidArgument('helper message: unsupported version');
  r.u16();
  const n = r.u32();
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) {
    const code = r.u16();
    r.u16();
    const len = r.u32();
    const def = BY_CODE.get(code);
    if (!def) throw invalidArgument(`helper message: unknown op code ${code}`);
    const end = r.pos + len;
    const op: Record<string, unknown> = { op: def.op };
    for (const [name, type] of def.fields) op[name] = readField(r, type);
    if (r.pos !== end) throw invalidArgument(`helper message: op ${i} length mismatch`);
    ops.push(op as unknown as Op);
  }
  if (r.pos !== b.length) throw invalidArgument('helper message: trailing bytes');
  return ops;
}

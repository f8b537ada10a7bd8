// @pure
// bcrypt verification (the `$2a$`/`$2b$`/`$2y$` hashes of htpasswd files), as OpenBSD defines
// it: EksBlowfish with the salt and the NUL-terminated password (at most 72 bytes), then
// "OrpheanBeholderScryDoubt" enciphered 64 times. Blowfish's initial P-array and S-boxes are
// the hexadecimal digits of pi; they are computed once (BigInt Machin formula) rather than
// pasted as a 1042-word table.

const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const WORDS = 18 + 4 * 256;

let PI_WORDS: Uint32Array | undefined;

function arctanInv(x: bigint, scale: bigint): bigint {
  let term = scale / x;
  let sum = term;
  const x2 = x * x;
  for (let k = 1n; term !== 0n; k++) {
    term /= x2;
    const t = term / (2n * k + 1n);
    sum += k % 2n ? -t : t;
  }
  return sum;
}

/** The first 1042 32-bit words of pi's fractional part in hexadecimal (0x243f6a88, ...). */
export function piWords(): Uint32Array {
  if (PI_WORDS) return PI_WORDS;
  const bits = BigInt(WORDS * 32);
  const guard = 64n;
  const scale = 1n << (bits + guard);
  const pi = 16n * arctanInv(5n, scale) - 4n * arctanInv(239n, scale);
  const frac = (pi - 3n * scale) >> guard;
  const out = new Uint32Array(WORDS);
  for (let i = 0; i < WORDS; i++) out[i] = Number((frac >> (bits - 32n * BigInt(i + 1))) & 0xffffffffn);
  PI_WORDS = out;
  return out;
}

function decode64(s: string, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let bitBuf = 0;
  let nbits = 0;
  let o = 0;
  for (const ch of s) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error('bad bcrypt base64');
    bitBuf = (bitBuf << 6) | v;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      if (o < bytes) out[o++] = (bitBuf >> nbits) & 0xff;
    }
  }
  return out;
}

function encode64(b: Uint8Array): string {
  let s = '';
  let bitBuf = 0;
  let nbits = 0;
  for (const byte of b) {
    bitBuf = ((bitBuf << 8) | byte) & 0xffffff;
    nbits += 8;
    while (nbits >= 6) {
      nbits -= 6;
      s += ALPHABET[(bitBuf >> nbits) & 63];
    }
  }
  if (nbits > 0) s += ALPHABET[(bitBuf << (6 - nbits)) & 63];
  return s;
}

class Blowfish {
  readonly P: Uint32Array;
  readonly S: Uint32Array;
  constructor() {
    const pi = piWords();
    this.P = pi.slice(0, 18);
    this.S = pi.slice(18);
  }

  private f(x: number): number {
    const S = this.S;
    return (((S[x >>> 24] + S[256 + ((x >>> 16) & 255)]) ^ S[512 + ((x >>> 8) & 255)]) + S[768 + (x & 255)]) >>> 0;
  }

  encipher(lr: Uint32Array, off: number): void {
    const P = this.P;
    let l = lr[off];
    let r = lr[off + 1];
    l ^= P[0];
    for (let i = 1; i <= 16; i += 2) {
      r ^= this.f(l) ^ P[i];
      l ^= this.f(r) ^ P[i + 1];
    }
    r ^= P[17];
    lr[off] = r >>> 0;
    lr[off + 1] = l >>> 0;
  }

  /** Blowfish key schedule mixed with `salt` words (none: zeros). */
  expand(key: Uint8Array, salt: Uint8Array | undefined): void {
    let kp = 0;
    const keyWord = () => {
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = (w << 8) | key[kp];
        kp = (kp + 1) % key.length;
      }
      return w >>> 0;
    };
    let sp = 0;
    const saltWord = () => {
      if (!salt) return 0;
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = (w << 8) | salt[sp];
        sp = (sp + 1) % salt.length;
      }
      return w >>> 0;
    };
    for (let i = 0; i < 18; i++) this.P[i] = (this.P[i] ^ keyWord()) >>> 0;
    const lr = new Uint32Array(2);
    for (let i = 0; i < 18; i += 2) {
      lr[0] ^= saltWord();
      lr[1] ^= saltWord();
      this.encipher(lr, 0);
      this.P[i] = lr[0];
      this.P[i + 1] = lr[1];
    }
    for (let i = 0; i < 1024; i += 2) {
      lr[0] ^= saltWord();
      lr[1] ^= saltWord();
      this.encipher(lr, 0);
      this.S[i] = lr[0];
      this.S[i + 1] = lr[1];
    }
  }
}

const HASH_RE = /^\$2[abxy]\$(\d{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;

/** bcrypt of `password` with the cost and salt of `hash`: the full hash string. */
export function bcryptHash(password: string, costSalt: { cost: number; salt: string; prefix: string }): string {
  const pw = new TextEncoder().encode(password);
  const key = new Uint8Array(Math.min(pw.length + 1, 72));
  key.set(pw.subarray(0, key.length));
  const salt = decode64(costSalt.salt, 16);
  const bf = new Blowfish();
  bf.expand(key, salt);
  const rounds = 2 ** costSalt.cost;
  for (let i = 0; i < rounds; i++) {
    bf.expand(key, undefined);
    bf.expand(salt, undefined);
  }
  const text = new TextEncoder().encode('OrpheanBeholderScryDoubt');
  const cdata = new Uint32Array(6);
  for (let i = 0; i < 6; i++) cdata[i] = ((text[4 * i] << 24) | (text[4 * i + 1] << 16) | (text[4 * i + 2] << 8) | text[4 * i + 3]) >>> 0;
  for (let i = 0; i < 64; i++) for (let j = 0; j < 6; j += 2) bf.encipher(cdata, j);
  const out = new Uint8Array(24);
  for (let i = 0; i < 6; i++) {
    out[4 * i] = cdata[i] >>> 24;
    out[4 * i + 1] = (cdata[i] >>> 16) & 255;
    out[4 * i + 2] = (cdata[i] >>> 8) & 255;
    out[4 * i + 3] = cdata[i] & 255;
  }
  const cost = String(costSalt.cost).padStart(2, '0');
  return `${costSalt.prefix}${cost}$${costSalt.salt}${encode64(out.subarray(0, 23))}`;
}

/** Whether `password` matches the bcrypt `hash` (constant-time comparison of the result). */
export function bcryptVerify(password: string, hash: string): boolean {
  const m = HASH_RE.exec(hash);
  if (!m) return false;
  const cost = Number(m[1]);
  if (cost < 4 || cost > 31) return false;
  const computed = bcryptHash(password, { cost, salt: m[2], prefix: hash.slice(0, 4) });
  if (computed.length !== hash.length) return false;
  let diff = 0;
  for (let i = 0; i < hash.length; i++) diff |= computed.charCodeAt(i) ^ hash.charCodeAt(i);
  return diff === 0;
}

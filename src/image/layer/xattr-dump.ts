// @pure
// The text format of `getfattr --dump -e hex` and `setfattr --restore`: `# file: <escaped path>`
// followed by `name=0x<hex>` lines. Binary values survive as hex; paths are octal-escaped.

const enc = new TextEncoder();
const dec = new TextDecoder();

export interface XattrItem {
  path: string;
  xattrs: Map<string, Uint8Array>;
}

function escapeBytes(s: string): string {
  let out = '';
  for (const b of enc.encode(s)) {
    if (b > 0x20 && b < 0x7f && b !== 0x5c && b !== 0x3d) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}

function hex(v: Uint8Array): string {
  let s = '';
  for (const b of v) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A `setfattr --restore` file. */
export function encodeRestore(items: XattrItem[]): string {
  let out = '';
  for (const it of items) {
    if (it.xattrs.size === 0) continue;
    out += `# file: ${escapeBytes(it.path)}\n`;
    for (const [k, v] of it.xattrs) out += `${escapeBytes(k)}=${v.length ? `0x${hex(v)}` : '""'}\n`;
    out += '\n';
  }
  return out;
}

function unescape(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && /^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
      bytes.push(parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (s[i] === '\\' && s[i + 1] === '\\') {
      bytes.push(0x5c);
      i++;
    } else for (const b of enc.encode(s[i])) bytes.push(b);
  }
  return dec.decode(new Uint8Array(bytes));
}

function parseValue(v: string): Uint8Array {
  if (v.startsWith('0x')) {
    const h = v.slice(2);
    const out = new Uint8Array(h.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
    return out;
  }
  if (v.startsWith('"') && v.endsWith('"')) return enc.encode(unescape(v.slice(1, -1)));
  if (v.startsWith('0s')) {
    const bin = atob(v.slice(2));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }
  return enc.encode(v);
}

/** Parses `getfattr -R -d -e hex` output into a map path → xattrs. */
export function parseDump(text: string): Map<string, Map<string, Uint8Array>> {
  const out = new Map<string, Map<string, Uint8Array>>();
  let cur: Map<string, Uint8Array> | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('# file: ')) {
      cur = new Map();
      out.set(unescape(line.slice(8)), cur);
      continue;
    }
    if (!cur || line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) cur.set(unescape(line), new Uint8Array(0));
    else cur.set(unescape(line.slice(0, eq)), parseValue(line.slice(eq + 1)));
  }
  return out;
}

// @pure
// Go's fmt %v for the values a --format template prints, as the docker CLI prints them after
// decoding the API's JSON into Go structs: a struct as `{v1 v2 ...}` in field order (zero values
// for fields the JSON left out), a map as `map[k:v ...]` with sorted keys, a slice as `[a b]`,
// nil as `<nil>`, a nested non-nil pointer as an address. The struct/map distinction and field
// order come from a GoType (go-types.ts); untyped values are guessed: an object whose keys all
// look like Go field names is a struct, any other object a map.

export type GoType =
  | { k: 'string' | 'bool' | 'int' | 'float' | 'duration' | 'any' }
  | { k: 'struct'; fields: readonly GoField[] }
  | { k: 'map'; elem: GoType }
  | { k: 'slice'; elem: GoType }
  | { k: 'ptr'; elem: GoType }
  /** A type with a String() method (fmt uses it at any depth, through a pointer too). */
  | { k: 'stringer'; str: (v: unknown) => string };

export interface GoField {
  /** The Go field name (what templates use). */
  name: string;
  /** The JSON key, when it differs from the name. */
  json?: string;
  type: GoType;
  /** An embedded struct: its fields sit in the same JSON object and are promoted. */
  embed?: boolean;
}

export const STRING: GoType = { k: 'string' };
export const BOOL: GoType = { k: 'bool' };
export const INT: GoType = { k: 'int' };
export const FLOAT: GoType = { k: 'float' };
export const DURATION: GoType = { k: 'duration' };
export const ANY: GoType = { k: 'any' };
export const sliceOf = (elem: GoType): GoType => ({ k: 'slice', elem });
export const mapOf = (elem: GoType): GoType => ({ k: 'map', elem });
export const ptrTo = (elem: GoType): GoType => ({ k: 'ptr', elem });
export const stringer = (str: (v: Record<string, unknown>) => string): GoType => ({ k: 'stringer', str: (v) => str((v ?? {}) as Record<string, unknown>) });
/** A struct from `[name, type]` pairs; `name:json` when the JSON key differs, `...` prefix to embed. */
export function struct(...fields: [string, GoType][]): GoType {
  return {
    k: 'struct',
    fields: fields.map(([n, type]) => {
      if (n.startsWith('...')) return { name: n.slice(3), type, embed: true };
      const [name, json] = n.split(':');
      return json ? { name, json, type } : { name, type };
    }),
  };
}

/** What Go prints for a non-nil pointer inside a value (an address: there is no honest match). */
const ADDRESS = '0xc000000000';
const GO_FIELD = /^[A-Z][A-Za-z0-9_]*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A key of `o` for a Go field: the JSON key, else a case-insensitive match (CpuShares / CPUShares). */
function keyOf(o: Obj, f: GoField): string | undefined {
  const want = f.json ?? f.name;
  if (want in o) return want;
  const low = want.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === low);
}

/**
 * The field `name` of a value of type `t` (pointers followed, embedded structs searched) and its
 * type; for untyped values, the key as it is or case-insensitively.
 */
export function goField(v: unknown, t: GoType | undefined, name: string): { v: unknown; t: GoType | undefined } {
  while (t?.k === 'ptr') t = t.elem;
  if (t?.k === 'struct') {
    const found = findField(t, name);
    if (found) {
      if (!isObj(v)) return { v: undefined, t: found.type };
      const key = keyOf(v, found);
      return { v: key === undefined ? undefined : v[key], t: found.type };
    }
  }
  // A missing map key is text/template's "<no value>", whatever the element type.
  if (t?.k === 'map') return isObj(v) && Object.hasOwn(v, name) ? { v: v[name], t: t.elem } : { v: undefined, t: undefined };
  if (!isObj(v)) return { v: undefined, t: undefined };
  const direct = v[name]; // a getter or a Proxy (table headers) answers here
  if (direct !== undefined) return { v: direct, t: undefined };
  const key = Object.keys(v).find((k) => k.toLowerCase() === name.toLowerCase());
  return { v: key === undefined ? undefined : v[key], t: undefined };
}

function findField(t: GoType & { k: 'struct' }, name: string): GoField | undefined {
  const direct = t.fields.find((f) => !f.embed && f.name === name) ?? t.fields.find((f) => !f.embed && f.name.toLowerCase() === name.toLowerCase());
  if (direct) return direct;
  for (const f of t.fields) {
    if (f.embed && f.type.k === 'struct') {
      const inner = findField(f.type, name);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The element type of a slice or map type (range, index). */
export function elemType(t: GoType | undefined): GoType | undefined {
  while (t?.k === 'ptr') t = t.elem;
  return t?.k === 'slice' || t?.k === 'map' ? t.elem : undefined;
}

/** Go's time.Duration String(): "1h2m3.5s", "300ms", "0s". */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  if (n < 1e9) {
    const [unit, div] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['\u00b5s', 1e3] : ['ms', 1e6];
    return `${neg}${trimFloat(n / div)}${unit}`;
  }
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  const s = trimFloat(n / 1e9);
  return `${neg}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

function trimFloat(x: number): string {
  return String(Number(x.toFixed(9)));
}

/** Go's %v of a float64 (strconv 'g', shortest): 1e+06, 1.5, 123456. */
export function goFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential().split('e');
    return `${m}e${e[0] === '-' ? '-' : '+'}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return String(x);
}

function zero(t: GoType, depth: number): string {
  switch (t.k) {
    case 'string': return '';
    case 'bool': return 'false';
    case 'int': case 'float': return '0';
    case 'duration': return '0s';
    case 'slice': return '[]';
    case 'map': return 'map[]';
    case 'ptr': case 'any': return '<nil>';
    case 'struct': return `{${t.fields.map((f) => zero(f.type, depth + 1)).join(' ')}}`;
    case 'stringer': return t.str(undefined);
  }
}

function sortedKeys(o: Obj): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `v` as text/template prints it (fmt %v); `depth` 0 is the action's own value: a pointer there
 * is followed, and an untyped missing value (a map key that is not there) is `<no value>`.
 */
export function goPrint(v: unknown, t?: GoType, depth = 0): string {
  if (t?.k === 'ptr') {
    if (v === null || v === undefined) return '<nil>';
    if (t.elem.k === 'stringer') return t.elem.str(v);
    return depth === 0 ? goPrint(v, t.elem, 0) : ADDRESS;
  }
  if (v === undefined || v === null) return t && t.k !== 'any' ? zero(t, depth) : depth === 0 ? '<no value>' : '<nil>';
  switch (t?.k) {
    case 'struct': {
      const o = isObj(v) ? v : {};
      return `{${t.fields.map((f) => {
        if (f.embed) return goPrint(o, f.type, depth + 1);
        const key = keyOf(o, f);
        return goPrint(key === undefined ? undefined : o[key], f.type, depth + 1);
      }).join(' ')}}`;
    }
    case 'map':
      return isObj(v) ? `map[${sortedKeys(v).map((k) => `${k}:${goPrint(v[k], t.elem, depth + 1)}`).join(' ')}]` : 'map[]';
    case 'slice':
      return Array.isArray(v) ? `[${v.map((x) => goPrint(x, t.elem, depth + 1)).join(' ')}]` : '[]';
    case 'duration':
      return typeof v === 'number' ? goDuration(v) : String(v);
    case 'stringer':
      return t.str(v);
    case 'float':
      return typeof v === 'number' ? goFloat(v) : String(v);
    default:
      break;
  }
  if (Array.isArray(v)) return `[${v.map((x) => goPrint(x, undefined, depth + 1)).join(' ')}]`;
  if (isObj(v)) {
    const keys = Object.keys(v);
    if (keys.length && keys.every((k) => GO_FIELD.test(k))) return `{${keys.map((k) => goPrint(v[k], undefined, depth + 1)).join(' ')}}`;
    return `map[${sortedKeys(v).map((k) => `${k}:${goPrint(v[k], undefined, depth + 1)}`).join(' ')}]`;
  }
  return String(v);
}

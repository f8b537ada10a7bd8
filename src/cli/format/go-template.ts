// @pure
// The subset of Go's text/template that Docker's --format uses: {{.Field.Sub}}, {{json .}},
// {{range .X}}…{{end}}, {{if}}/{{else}}/{{end}}, {{with}}, pipelines into functions
// (join, json, lower, upper, title, split, println, printf %s/%d/%v, len, index, table). Values
// print as Go's fmt does (go-value.ts).
import { invalidArgument } from '../../errors/errors.ts';
import { elemType, goField, goPrint, type GoType } from './go-value.ts';

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: string; at: number }
  | { kind: 'if' | 'with' | 'range'; pipe: string; at: number; body: Node[]; alt: Node[] };

type Token = { kind: 'text'; text: string } | { kind: 'action'; text: string; at: number };

/** A field the data does not have, in strict mode: where (Go's line:col) and what, for the
 *  caller to word as the docker CLI does for its command. */
export class TemplateFieldError extends Error {
  readonly line: number; readonly col: number; readonly node: string; readonly field: string;
  constructor(line: number, col: number, node: string, field: string) {
    super(`template: :${line}:${col}: executing "" at <${node}>: no field ${field}`);
    this.line = line; this.col = col; this.node = node; this.field = field;
  }
}

export interface ExecOptions {
  /** 'map': a key an object lacks (docker inspect's raw fallback, missingkey=error); a set: the
   *  fields the row type has (ps, images...). Otherwise a missing field prints "<no value>". */
  strict?: 'map' | ReadonlySet<string>;
}

interface Ctx { src: string; funcs: Record<string, TemplateFn>; strict?: ExecOptions['strict']; root: unknown; vars: Map<string, Typed> }

/** `$k, $v := pipe` / `$v := pipe` at the head of an action: the names and the rest. */
const DECL = /^\$(\w+)(?:\s*,\s*\$(\w+))?\s*:=\s*([\s\S]*)$/;

export type TemplateFn = (...args: unknown[]) => unknown;

const FUNCS: Record<string, TemplateFn> = {
  json: (v) => JSON.stringify(v ?? null),
  join: (list, sep) => (Array.isArray(list) ? list.map(String).join(String(sep)) : String(list ?? '')),
  lower: (s) => String(s).toLowerCase(),
  upper: (s) => String(s).toUpperCase(),
  title: (s) => String(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  split: (s, sep) => String(s).split(String(sep)),
  len: (v) => (Array.isArray(v) || typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0),
  index: (v, k) => (v as Record<string, unknown>)?.[String(k)],
  println: (...a) => `${a.map(String).join(' ')}\n`,
  print: (...a) => a.map(String).join(''),
  printf: (fmt, ...a) => { let i = 0; return String(fmt).replace(/%[sdvq%]/g, (m) => (m === '%%' ? '%' : m === '%q' ? JSON.stringify(String(a[i++])) : String(a[i++]))); },
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  not: (a) => !truthy(a),
  truncate: (s, n) => String(s).slice(0, Number(n)),
};

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) { out.push({ kind: 'text', text: src.slice(i) }); break; }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src[start] === '-' && src[start + 1] === ' ') { text = text.trimEnd(); start += 2; }
    const close = src.indexOf('}}', start);
    if (close < 0) throw invalidArgument(`template: unclosed action in ${JSON.stringify(src)}`);
    let body = src.slice(start, close);
    let next = close + 2;
    if (body.endsWith(' -')) { body = body.slice(0, -2); while (/\s/.test(src[next] ?? '')) next++; }
    if (text) out.push({ kind: 'text', text });
    out.push({ kind: 'action', text: body.trim(), at: start + (body.length - body.trimStart().length) });
    i = next;
  }
  return out;
}

function parse(tokens: Token[]): Node[] {
  let pos = 0;
  function block(): { nodes: Node[]; end: 'end' | 'else' | 'eof' } {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++];
      if (t.kind === 'text') { nodes.push({ kind: 'text', text: t.text }); continue; }
      const [word, ...rest] = t.text.split(/\s+/);
      if (word === 'end') return { nodes, end: 'end' };
      if (word === 'else') return { nodes, end: 'else' };
      if (word === 'if' || word === 'with' || word === 'range') {
        const body = block();
        let alt: Node[] = [];
        if (body.end === 'else') {
          const a = block();
          if (a.end !== 'end') throw invalidArgument(`template: missing {{end}} for ${word}`);
          alt = a.nodes;
        } else if (body.end !== 'end') throw invalidArgument(`template: missing {{end}} for ${word}`);
        nodes.push({ kind: word, pipe: rest.join(' '), at: t.at + t.text.indexOf(rest[0] ?? '', word.length), body: body.nodes, alt });
        continue;
      }
      if (t.text.startsWith('/*')) continue;
      nodes.push({ kind: 'action', pipe: t.text, at: t.at });
    }
    return { nodes, end: 'eof' };
  }
  const { nodes, end } = block();
  if (end !== 'eof') throw invalidArgument(`template: unexpected {{${end}}}`);
  return nodes;
}

function splitArgs(s: string): string[] {
  return s.match(/"(?:[^"\\]|\\.)*"|`[^`]*`|\S+/g) ?? [];
}

interface Typed { v: unknown; t: GoType | undefined }

/**
 * `.A.B` from `dot`, with its Go type when `dot`'s is known (go-types.ts). Docker's Go field names
 * and JSON keys differ in case (APIVersion / ApiVersion, ID / Id): templates name the Go field,
 * our values carry the JSON key; a case-insensitive match bridges them.
 */
function field(dot: Typed, path: string, c: Ctx, at: number): Typed {
  let cur = dot;
  let off = 0;
  for (const part of path.split('.')) {
    if (!part) { off += 1; continue; }
    if (cur.v === null || cur.v === undefined) return { v: undefined, t: undefined };
    const next = goField(cur.v, cur.t, part);
    if (c.strict && lacks(cur, next, part, c)) {
      const before = c.src.slice(0, at + off - 1);
      const line = before.split('\n').length;
      throw new TemplateFieldError(line, before.length - before.lastIndexOf('\n') - 1, path, part);
    }
    cur = next;
    off += part.length + 1;
  }
  return cur;
}

/** Whether, in strict mode, `part` is a field `cur` does not have. */
function lacks(cur: Typed, next: Typed, part: string, c: Ctx): boolean {
  if (c.strict instanceof Set) return cur.v === c.root && !c.strict.has(part);
  if (next.v !== undefined || next.t !== undefined) return false; // found, or a known field left out
  let t = cur.t;
  while (t?.k === 'ptr') t = t.elem;
  if (t?.k === 'map' || !cur.v || typeof cur.v !== 'object') return false;
  const lower = part.toLowerCase();
  return !Object.keys(cur.v).some((k) => k.toLowerCase() === lower);
}

function evalArg(arg: string, dot: Typed, c: Ctx, at: number): Typed {
  const { funcs } = c;
  if (arg.startsWith('"')) return { v: JSON.parse(arg), t: undefined };
  if (arg.startsWith('`')) return { v: arg.slice(1, -1), t: undefined };
  if (arg === '.') return dot;
  if (arg.startsWith('$')) {
    const m = /^\$(\w*)(.*)$/.exec(arg)!;
    const base = c.vars.get(m[1]);
    if (!base) throw invalidArgument(`template: undefined variable "$${m[1]}"`);
    return m[2] ? field(base, m[2], { ...c, root: base.v }, at + 1 + m[1].length) : base;
  }
  if (arg.startsWith('.')) return field(dot, arg, c, at);
  if (/^-?\d+(\.\d+)?$/.test(arg)) return { v: Number(arg), t: undefined };
  if (arg === 'true' || arg === 'false') return { v: arg === 'true', t: undefined };
  if (arg in funcs) return { v: funcs[arg](), t: undefined };
  throw invalidArgument(`template: function "${arg}" not defined`);
}

function evalPipe(pipe: string, dot: Typed, c: Ctx, at: number): Typed {
  const { funcs } = c;
  let value: Typed = { v: undefined, t: undefined };
  let first = true;
  let from = 0;
  const posOf = (arg: string) => { const i = pipe.indexOf(arg, from); if (i >= 0) from = i + arg.length; return at + Math.max(i, 0); };
  for (const cmd of pipe.split(/\s+\|\s+/)) {
    const [head, ...args] = splitArgs(cmd);
    const extra = first ? [] : [value.v];
    const headAt = posOf(head);
    if (head in funcs) value = { v: funcs[head](...args.map((a) => evalArg(a, dot, c, posOf(a)).v), ...extra), t: undefined };
    else if (!head.startsWith('.') && !head.startsWith('$') && !head.startsWith('"') && !/^-?\d/.test(head)) throw invalidArgument(`template: function "${head}" not defined`);
    else if (head.startsWith('.') && first && args.length) {
      // A method with arguments, as {{.Label "com.example"}} on docker's row types.
      const m = evalArg(head, dot, c, headAt).v;
      if (typeof m !== 'function') throw invalidArgument(`template: can't give argument to non-function ${head}`);
      value = { v: (m as TemplateFn)(...args.map((a) => evalArg(a, dot, c, posOf(a)).v)), t: undefined };
    } else if (args.length || !first) throw invalidArgument(`template: can't give argument to non-function ${head}`);
    else value = evalArg(head, dot, c, headAt);
    first = false;
  }
  return value;
}

/** Go's range order: slices by index, maps by sorted key. */
function entries(v: unknown): [unknown, unknown][] {
  if (Array.isArray(v)) return v.map((x, i) => [i, x]);
  if (v && typeof v === 'object') return Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]);
  return [];
}

function exec(nodes: Node[], dot: Typed, c: Ctx): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') { out += n.text; continue; }
    const decl = DECL.exec(n.pipe);
    const pipe = decl ? decl[3] : n.pipe;
    const at = decl ? n.at + n.pipe.length - pipe.length : n.at;
    const r = evalPipe(pipe, dot, c, at);
    if (n.kind === 'action') {
      if (decl) c.vars.set(decl[1], r); // {{$x := pipe}} prints nothing
      else out += goPrint(r.v, r.t);
      continue;
    }
    // Variables declared in a control structure live until its {{end}}.
    const inner: Ctx = { ...c, vars: new Map(c.vars) };
    if (decl && n.kind !== 'range') inner.vars.set(decl[1], r);
    if (n.kind === 'if') out += exec(truthy(r.v) ? n.body : n.alt, dot, truthy(r.v) ? inner : c);
    else if (n.kind === 'with') out += truthy(r.v) ? exec(n.body, r, inner) : exec(n.alt, dot, c);
    else {
      const items = entries(r.v);
      const t = elemType(r.t);
      if (!items.length) { out += exec(n.alt, dot, c); continue; }
      for (const [k, item] of items) {
        const el = { v: item, t };
        if (decl && decl[2]) { inner.vars.set(decl[1], { v: k, t: undefined }); inner.vars.set(decl[2], el); } else if (decl) inner.vars.set(decl[1], el);
        out += exec(n.body, el, inner);
      }
    }
  }
  return out;
}

export interface Template {
  /** `type`: the Go type the docker CLI would have decoded `data` into (go-types.ts), for printing structs and maps as it does. */
  execute(data: unknown, type?: GoType, opts?: ExecOptions): string;
}

export function compileTemplate(src: string, extra: Record<string, TemplateFn> = {}): Template {
  const nodes = parse(tokenize(src));
  const funcs = { ...FUNCS, ...extra };
  return {
    execute: (data, type, opts = {}) => {
      const root = { v: data, t: type };
      return exec(nodes, root, { src, funcs, strict: opts.strict, root: data, vars: new Map([['', root]]) });
    },
  };
}

// @pure
// `docker images` filters as moby applies them: dangling, reference (a path.Match glob against the
// familiar name and name:tag; the listed RepoTags/RepoDigests narrow to the matching ones), label
// (key or key=value), before/since (another image's creation), until (a timestamp or duration).
import { invalidArgument } from '../../errors/errors.ts';
import type { Filters } from '../../api/system-types.ts';

export interface ListedImage {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Labels: Record<string, string>;
}

const ACCEPTED = ['dangling', 'reference', 'label', 'before', 'since', 'until'];

/** Go's path.Match: `*` and `?` never cross a `/`; `[...]` classes with `^`/`!` negation and ranges. */
export function pathMatch(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw invalidArgument(`syntax error in pattern: ${pattern}`);
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(name);
}

/** `busybox:latest` → [`busybox`, `busybox:latest`]; `x@sha256:…` → [`x`, `x@sha256:…`]. */
function matchForms(ref: string): string[] {
  const at = ref.indexOf('@');
  if (at >= 0) return [ref.slice(0, at), ref];
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? [ref.slice(0, colon), ref] : [ref];
}

const refMatches = (patterns: string[], ref: string): boolean => patterns.some((p) => matchForms(ref).some((f) => pathMatch(p, f)));

function boolFilter(values: string[] | undefined, name: string): boolean | undefined {
  if (!values?.length) return undefined;
  const v = values[0].toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw invalidArgument(`Invalid filter '${name}=${values[0]}'`);
}

/** Docker's timestamp filters: RFC 3339, unix seconds, or a duration before `now` (10m, 2h). */
export function parseTimestamp(v: string, now: number): number {
  const d = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(v);
  if (d) {
    const mult = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 }[d[2] as 'ns'];
    return now / 1000 - Number(d[1]) * mult;
  }
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalidArgument(`invalid value for filter 'until': ${v}`);
  return t / 1000;
}

export function filterImages<T extends ListedImage>(all: T[], f: Filters, byRef: (ref: string) => T | undefined, now = Date.now()): T[] {
  for (const k of Object.keys(f)) if (!ACCEPTED.includes(k)) throw invalidArgument(`invalid filter '${k}'`);
  const dangling = boolFilter(f.dangling, 'dangling');
  const edge = (key: 'before' | 'since'): number | undefined => {
    const v = f[key]?.[0];
    if (v === undefined) return undefined;
    const img = byRef(v);
    if (!img) throw invalidArgument(`No such image: ${v}`);
    return img.Created;
  };
  const before = edge('before');
  const since = edge('since');
  const until = f.until?.length ? parseTimestamp(f.until[0], now) : undefined;
  const out: T[] = [];
  for (const img of all) {
    const isDangling = img.RepoTags.length === 0 && img.RepoDigests.length === 0;
    if (dangling !== undefined && isDangling !== dangling) continue;
    if (before !== undefined && img.Created >= before) continue;
    if (since !== undefined && img.Created <= since) continue;
    if (until !== undefined && img.Created > until) continue;
    if (f.label?.length && !f.label.every((l) => {
      const eq = l.indexOf('=');
      return eq < 0 ? l in img.Labels : img.Labels[l.slice(0, eq)] === l.slice(eq + 1);
    })) continue;
    if (f.reference?.length) {
      const tags = img.RepoTags.filter((t) => refMatches(f.reference!, t));
      const digests = img.RepoDigests.filter((t) => refMatches(f.reference!, t));
      if (!tags.length && !digests.length) continue;
      out.push({ ...img, RepoTags: tags, RepoDigests: digests });
      continue;
    }
    out.push(img);
  }
  return out;
}

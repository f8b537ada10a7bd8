// @pure
// Path arithmetic for cgroup dirs (no node:path in pure modules).
import { invalidArgument } from '../../errors/errors.ts';
import type { CgroupLayout, CgroupPlan } from './types.ts';

/** Joins and normalises absolute paths: '/a/' + 'b//c' → '/a/b/c'. */
export function joinPath(...parts: string[]): string {
  const segs = parts.join('/').split('/').filter((s) => s && s !== '.');
  return `/${segs.join('/')}`;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Splits a cgroup path into components, refusing '..' (it would escape the hierarchy). */
export function components(path: string, what: string): string[] {
  const segs = path.split('/').filter((s) => s && s !== '.');
  if (segs.includes('..')) throw invalidArgument(`${what} ${JSON.stringify(path)}: '..' is not allowed`);
  return segs;
}

/** The dirs from `base` (exclusive) down to `base/rel` (inclusive), parents first. */
export function chain(base: string, rel: string[]): string[] {
  return rel.map((_, i) => joinPath(base, ...rel.slice(0, i + 1)));
}

/** The container's own cgroup dirs: the dirs of procsFiles. */
export function leafDirs(plan: CgroupPlan): string[] {
  return [...new Set(plan.procsFiles.map(parentOf))];
}

/** The container's dir in the hierarchy that holds `controller` (v2: the one dir). */
export function leafFor(plan: CgroupPlan, controller: string): string | undefined {
  if (plan.layout.mode === 'v2') return leafDirs(plan)[0];
  const mount = plan.layout.v1Mounts?.[controller];
  if (!mount) return undefined;
  return leafDirs(plan).find((d) => d === mount || d.startsWith(`${mount}/`));
}

/** v1 hierarchies: mount dir → its controllers, in a stable order. */
export function hierarchies(layout: CgroupLayout): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [ctrl, dir] of Object.entries(layout.v1Mounts ?? {}).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.set(dir, [...(out.get(dir) ?? []), ctrl]);
  }
  return out;
}

// @pure
// Filters of `volume ls` (dangling, name, label, driver) and `volume prune` (label, label!, all),
// as moby's volume service applies them.
import { invalidArgument } from '../errors/errors.ts';
import type { Filters } from '../api/system-types.ts';
import type { VolumeRecord } from './types.ts';
import { ANONYMOUS_LABEL } from './names.ts';

const LIST_FILTERS = ['dangling', 'name', 'driver', 'label'];
const PRUNE_FILTERS = ['label', 'label!', 'all'];

function boolFilter(key: string, values: string[]): boolean {
  const norm = values.map((v) => v.toLowerCase());
  if (norm.some((v) => !['true', 'false', '1', '0'].includes(v))) throw invalidArgument(`invalid filter '${key}=${values.join(',')}'`);
  return norm[norm.length - 1] === 'true' || norm[norm.length - 1] === '1';
}

/** A `label` filter value (`key` or `key=value`) against labels. */
export function labelMatches(labels: Record<string, string> | null, want: string): boolean {
  const l = labels ?? {};
  const eq = want.indexOf('=');
  if (eq < 0) return Object.hasOwn(l, want);
  const k = want.slice(0, eq);
  return Object.hasOwn(l, k) && l[k] === want.slice(eq + 1);
}

function regexMatch(pattern: string, s: string): boolean {
  try { return new RegExp(pattern).test(s); } catch { return s.includes(pattern); }
}

export function validateListFilters(f: Filters): void {
  for (const k of Object.keys(f)) if (!LIST_FILTERS.includes(k)) throw invalidArgument(`invalid filter '${k}'`);
  if (f.dangling) boolFilter('dangling', f.dangling);
}

/** The volumes `GET /volumes` lists. `inUse` tells whether a container refers to a volume. */
export function filterVolumes(all: VolumeRecord[], f: Filters, inUse: (name: string) => boolean): VolumeRecord[] {
  validateListFilters(f);
  const dangling = f.dangling ? boolFilter('dangling', f.dangling) : undefined;
  return all.filter((v) => {
    if (dangling !== undefined && inUse(v.Name) === dangling) return false;
    if (f.name?.length && !f.name.some((n) => regexMatch(n, v.Name))) return false;
    if (f.driver?.length && !f.driver.includes(v.Driver)) return false;
    if (f.label?.length && !f.label.every((l) => labelMatches(v.Labels, l))) return false;
    return true;
  });
}

/**
 * The volumes `POST /volumes/prune` removes: unused ones, and (API >= 1.42, unless `all=true`)
 * only anonymous ones.
 */
export function pruneCandidates(all: VolumeRecord[], f: Filters, inUse: (name: string) => boolean, apiVersion: string): VolumeRecord[] {
  for (const k of Object.keys(f)) if (!PRUNE_FILTERS.includes(k)) throw invalidArgument(`invalid filter '${k}'`);
  const newApi = compareVersions(apiVersion, '1.42') >= 0;
  if (f.all && !newApi) throw invalidArgument(`invalid filter 'all'`);
  const everything = f.all ? boolFilter('all', f.all) : !newApi;
  return all.filter((v) => {
    if (inUse(v.Name)) return false;
    if (!everything && !Object.hasOwn(v.Labels ?? {}, ANONYMOUS_LABEL)) return false;
    if (f.label?.length && !f.label.every((l) => labelMatches(v.Labels, l))) return false;
    if (f['label!']?.length && f['label!'].some((l) => labelMatches(v.Labels, l))) return false;
    return true;
  });
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  return 0;
}

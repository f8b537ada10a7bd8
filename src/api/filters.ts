// @pure
// Docker's `filters` query parameter: JSON `{"name":{"value":true}}` (and the legacy
// `{"name":["value"]}`), decoded to name → values; encoded in the map form as Docker's client does.
import { invalidArgument } from '../errors/errors.ts';
import type { Filters } from './system-types.ts';

export function decodeFilters(raw: string | undefined | null): Filters {
  if (raw === undefined || raw === null || raw === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw invalidArgument(`invalid filter: ${(err as Error).message}`);
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidArgument('invalid filter: filters must be a JSON object');
  const out: Filters = {};
  for (const [name, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[name] = v as string[];
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[name] = Object.keys(v);
    else throw invalidArgument(`invalid filter '${name}': values must be a list or a map`);
  }
  return out;
}

export function encodeFilters(filters: Filters): string {
  const obj: Record<string, Record<string, boolean>> = {};
  for (const [name, values] of Object.entries(filters)) {
    if (!values.length) continue;
    obj[name] = Object.fromEntries(values.map((v) => [v, true]));
  }
  return JSON.stringify(obj);
}

/** Docker's Args.Validate: each key must be one the endpoint accepts. */
export function validateFilterNames(filters: Filters, accepted: readonly string[]): void {
  for (const name of Object.keys(filters)) {
    if (!accepted.includes(name)) throw invalidArgument(`invalid filter '${name}'`);
  }
}

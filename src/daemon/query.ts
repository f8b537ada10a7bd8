// @pure
// Query parameters read the way Docker's httputils does: booleans are true unless empty, "0",
// "no", "false" or "none"; integers are strict; `filters` is JSON.
import { invalidArgument } from '../errors/errors.ts';
import { decodeFilters } from '../api/filters.ts';
import type { Filters } from '../api/system-types.ts';

const FALSE_WORDS = new Set(['', '0', 'no', 'false', 'none']);

export class Query {
  readonly params: URLSearchParams;
  constructor(search: string | URLSearchParams) {
    this.params = typeof search === 'string' ? new URLSearchParams(search) : search;
  }

  has(key: string): boolean {
    return this.params.has(key);
  }

  string(key: string): string | undefined {
    return this.params.get(key) ?? undefined;
  }

  all(key: string): string[] {
    return this.params.getAll(key);
  }

  /** httputils.BoolValue (absent → false) or BoolValueOrDefault when a default is given. */
  bool(key: string, dflt = false): boolean {
    const v = this.params.get(key);
    if (v === null) return dflt;
    return !FALSE_WORDS.has(v.trim().toLowerCase());
  }

  /** httputils.Int64ValueOrDefault: absent or empty → default; malformed → 400. */
  int(key: string, dflt: number): number;
  int(key: string): number | undefined;
  int(key: string, dflt?: number): number | undefined {
    const v = this.params.get(key);
    if (v === null || v === '') return dflt;
    if (!/^[+-]?\d+$/.test(v.trim())) {
      throw invalidArgument(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
    }
    return Number(v.trim());
  }

  filters(key = 'filters'): Filters {
    return decodeFilters(this.params.get(key));
  }
}

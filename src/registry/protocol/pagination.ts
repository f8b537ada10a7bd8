// @pure
// `n`/`last` pagination of sorted lists (tags, catalog) and the `Link` header for the next page.

export interface Page {
  items: string[];
  /** Query string for the next page, when there is one. */
  next?: { n: number; last: string };
}

/** Sorts ASCIIbetically and returns the page after `last` of at most `n` items. */
export function paginate(all: string[], n: number | undefined, last: string | undefined): Page {
  const sorted = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const from = last === undefined ? sorted : sorted.filter((t) => t > last);
  if (n === undefined || from.length <= n) return { items: from };
  const items = from.slice(0, n);
  return { items, next: items.length ? { n, last: items[items.length - 1] } : undefined };
}

export function linkHeader(path: string, next: { n: number; last: string }): string {
  return `<${path}?n=${next.n}&last=${encodeURIComponent(next.last)}>; rel="next"`;
}

/** Parses `n`: undefined when absent; 'invalid' when not a non-negative integer. */
export function parseN(v: string | null): number | undefined | 'invalid' {
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) return 'invalid';
  return Number(v);
}

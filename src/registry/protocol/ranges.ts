// @pure
// Range (blob GET) and Content-Range (upload PATCH) headers.

export interface ByteRange {
  start: number;
  /** inclusive */
  end: number;
}

/**
 * A single `bytes=` range against a blob of `size` bytes. undefined when there is no header
 * (or it is not a bytes range we handle: then the whole blob is served); 'unsatisfiable' when
 * it falls outside the blob.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** Upload Content-Range: `<start>-<end>` (the spec's form), also `bytes <start>-<end>/<total|*>`. */
export function parseContentRange(header: string | undefined): ByteRange | 'invalid' | undefined {
  if (header === undefined || header === '') return undefined;
  const m = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!m) return 'invalid';
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) return 'invalid';
  return { start, end };
}

/** The `Range` header of upload responses: `0-<last byte>` (docker/distribution's `0-0` when empty). */
export function uploadRangeHeader(size: number): string {
  return `0-${Math.max(0, size - 1)}`;
}

// @pure
// json-file log options (--log-opt max-size, max-file, compress, labels, env, tag): parsed and
// checked as Docker does. berth rotates by default: Docker's json-file keeps one unbounded file
// unless told otherwise, berth uses the `local` driver's defaults (20 MiB × 5 files).
import { invalidArgument } from '../../errors/errors.ts';

export const DEFAULT_MAX_SIZE = 20 * 1024 * 1024;
export const DEFAULT_MAX_FILE = 5;

export interface JsonFileOptions { maxSize: number; maxFile: number; compress: boolean }

const KNOWN = new Set(['max-size', 'max-file', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag', 'mode', 'max-buffer-size']);

/** go-units RAMInBytes: "10m", "512k", "1g", "100", "1.5MB" (binary multiples). */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?$/i.exec(s.trim());
  if (!m) throw invalidArgument(`invalid size: '${s}'`);
  const mult = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 }[m[2].toLowerCase() as '' | 'k'];
  return Math.floor(Number(m[1]) * mult);
}

export function parseJsonFileOptions(cfg: Record<string, string> = {}): JsonFileOptions {
  for (const k of Object.keys(cfg)) if (!KNOWN.has(k)) throw invalidArgument(`unknown log opt '${k}' for json-file log driver`);
  let maxSize = DEFAULT_MAX_SIZE;
  let maxFile = DEFAULT_MAX_FILE;
  if (cfg['max-size'] !== undefined) {
    maxSize = cfg['max-size'] === '-1' ? -1 : parseSize(cfg['max-size']);
    if (maxSize === 0) throw invalidArgument('max-size must be a positive number');
  }
  if (cfg['max-file'] !== undefined) {
    if (!/^\d+$/.test(cfg['max-file'])) throw invalidArgument(`invalid value for max-file: ${cfg['max-file']}`);
    maxFile = Number(cfg['max-file']);
    if (maxFile < 1) throw invalidArgument('max-file cannot be less than 1');
    if (maxSize === -1 && maxFile > 1) throw invalidArgument("max-file cannot be set when max-size is not set");
  }
  let compress = false;
  if (cfg.compress !== undefined) {
    if (cfg.compress !== 'true' && cfg.compress !== 'false') throw invalidArgument(`error reading compress log option: ${cfg.compress}`);
    compress = cfg.compress === 'true';
    if (compress) throw invalidArgument('compress is not supported by berth yet');
  }
  return { maxSize, maxFile, compress };
}

// Where the native helper binary is: $BERTH_HELPER, else native/build/berth-helper of the
// checkout this code runs from (source or dist bundle), else the installed copy.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { failedPrecondition } from '../errors/errors.ts';

const INSTALLED = '/usr/libexec/berth/berth-helper';

export function helperPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BERTH_HELPER) return env.BERTH_HELPER;
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'native/build/berth-helper');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  if (existsSync(INSTALLED)) return INSTALLED;
  throw failedPrecondition('the native helper is not built: run scripts/build.sh (or set BERTH_HELPER)');
}

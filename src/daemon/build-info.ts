// berth's version (package.json) and git commit (.git/HEAD, read without running git), found
// relative to this file both in the source tree and in the dist/ bundle.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildInfo } from './start-daemon.ts';
import { isoTime } from '../sys/iso-time.ts';

function firstReadable(paths: string[]): { path: string; text: string } | undefined {
  for (const path of paths) {
    try { return { path, text: readFileSync(path, 'utf8') }; } catch { /* next */ }
  }
  return undefined;
}

export function readBuildInfo(here = import.meta.dirname): BuildInfo {
  const roots = [join(here, '..', '..'), join(here, '..')];
  const pkg = roots.map((r) => firstReadable([join(r, 'package.json')])).find((p) => p && /"name":\s*"berth"/.test(p.text));
  let version = '0.0.0-dev';
  try { version = (JSON.parse(pkg?.text ?? '{}') as { version?: string }).version ?? version; } catch { /* keep */ }
  const root = pkg ? join(pkg.path, '..') : roots[0];
  let gitCommit = 'unknown';
  const head = firstReadable([join(root, '.git', 'HEAD')])?.text.trim();
  if (head && /^[0-9a-f]{40}$/.test(head)) gitCommit = head.slice(0, 7);
  else if (head?.startsWith('ref: ')) {
    const ref = firstReadable([join(root, '.git', head.slice(5))])?.text.trim();
    if (ref) gitCommit = ref.slice(0, 7);
  }
  let buildTime = '';
  try { buildTime = isoTime(statSync(pkg?.path ?? '').mtime); } catch { /* unknown */ }
  return { version, gitCommit, buildTime };
}

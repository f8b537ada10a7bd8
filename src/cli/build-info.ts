// The client's version (package.json) and commit, found relative to this file in the source
// tree and in the dist/ bundle (the daemon's reader lives in daemon/, which cli may not import).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClientBuild { version: string; gitCommit: string }

function read(path: string): string | undefined {
  try { return readFileSync(path, 'utf8'); } catch { return undefined; }
}

export function clientBuild(here = import.meta.dirname): ClientBuild {
  for (const root of [join(here, '..', '..'), join(here, '..')]) {
    const text = read(join(root, 'package.json'));
    if (!text || !/"name":\s*"berth"/.test(text)) continue;
    let version = '0.0.0-dev';
    try { version = (JSON.parse(text) as { version?: string }).version ?? version; } catch { /* keep */ }
    let gitCommit = 'unknown';
    const head = read(join(root, '.git', 'HEAD'))?.trim();
    if (head && /^[0-9a-f]{40}$/.test(head)) gitCommit = head.slice(0, 7);
    else if (head?.startsWith('ref: ')) gitCommit = read(join(root, '.git', head.slice(5)))?.trim().slice(0, 7) ?? gitCommit;
    return { version, gitCommit };
  }
  return { version: '0.0.0-dev', gitCommit: 'unknown' };
}

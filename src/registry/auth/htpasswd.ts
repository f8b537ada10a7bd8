// htpasswd files: `user:hash` lines with bcrypt (`$2y$`, `$2a$`, `$2b$`) or `{SHA}` hashes.
// Verified credentials are remembered (keyed by a hash of user, password and stored hash) so a
// client that sends basic auth on every request pays for bcrypt once.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bcryptVerify } from './bcrypt.ts';

export function parseHtpasswd(text: string): Map<string, string> {
  const users = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i <= 0) continue;
    users.set(line.slice(0, i), line.slice(i + 1));
  }
  return users;
}

export function verifyHash(password: string, hash: string): boolean {
  if (hash.startsWith('$2')) return bcryptVerify(password, hash);
  if (hash.startsWith('{SHA}')) {
    const want = Buffer.from(hash.slice(5), 'base64');
    const got = createHash('sha1').update(password).digest();
    return want.length === got.length && timingSafeEqual(want, got);
  }
  return false;
}

export class Htpasswd {
  private readonly path: string;
  private users: Map<string, string> = new Map();
  private loadedAt = 0;
  private readonly verified = new Set<string>();

  constructor(path: string) {
    this.path = path;
    this.reload();
  }

  private reload(): void {
    this.users = parseHtpasswd(readFileSync(this.path, 'utf8'));
    this.loadedAt = Date.now();
    this.verified.clear();
  }

  /** Whether the credentials are valid (the file is re-read at most every 5 seconds). */
  check(user: string, password: string): boolean {
    if (Date.now() - this.loadedAt > 5000) {
      try { this.reload(); } catch { /* keep the last good copy */ }
    }
    const hash = this.users.get(user);
    if (!hash) return false;
    const key = createHash('sha256').update(`${user}\0${password}\0${hash}`).digest('hex');
    if (this.verified.has(key)) return true;
    const ok = verifyHash(password, hash);
    if (ok) this.verified.add(key);
    return ok;
  }
}

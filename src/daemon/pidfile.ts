// dockerd's pidfile: refuse to start while the recorded process lives, else record our pid.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { failedPrecondition } from '../errors/errors.ts';

export function writePidfile(path: string, pid = process.pid): void {
  let old = '';
  try { old = readFileSync(path, 'utf8').trim(); } catch { /* none */ }
  if (/^\d+$/.test(old) && Number(old) !== pid && existsSync(`/proc/${old}`)) {
    throw failedPrecondition(`process with PID ${old} is still running; pid file found, ensure berthd is not running or delete ${path}`);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${pid}`, { mode: 0o644 });
}

export function removePidfile(path: string, pid = process.pid): void {
  try {
    if (readFileSync(path, 'utf8').trim() === String(pid)) rmSync(path, { force: true });
  } catch { /* gone already */ }
}

// One berthd with busybox:latest per e2e file, and container cleanup: after every test no
// container is left (force-removed and reported), and at the end berthd stops with no mounts left.
import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { docker, haveDocker, DOCKER_BIN, type CliResult } from './docker-cli.ts';
import { startBerthd, type Berthd, type StartOptions } from './daemon.ts';

export const noDocker: false | string = haveDocker() ? false : 'docker CLI not installed';

/** Force-removes every container of `d`; returns the names it found. */
export async function removeAllContainers(d: Berthd): Promise<string[]> {
  const ls = await docker(['ps', '-a', '--format', '{{.ID}} {{.Names}}'], d.dockerEnv);
  const rows = ls.stdout.split('\n').filter(Boolean).map((l) => l.split(' '));
  if (rows.length) {
    const rm = await docker(['rm', '-f', ...rows.map((r) => r[0])], d.dockerEnv);
    assert.equal(rm.code, 0, rm.stderr);
  }
  return rows.map((r) => r[1]);
}

/**
 * Registers before/after hooks for a shared berthd seeded with busybox; tests call the
 * returned function for the daemon. Containers left by a test are removed after it.
 */
export function useBerthd(opts: StartOptions = {}): () => Berthd {
  let d: Berthd | undefined;
  before(async () => { if (!noDocker) d = await startBerthd({ busybox: true, ...opts }); });
  afterEach(async () => { if (d?.running()) await removeAllContainers(d); });
  after(async () => {
    if (!d) return;
    if (d.running()) await removeAllContainers(d);
    await d.stop();
  });
  return () => d!;
}

/** `docker args…` expecting success: returns stdout, trimmed unless `raw`. */
export async function ok(d: Berthd, args: string[], opts: { input?: string; timeoutMs?: number; raw?: boolean } = {}): Promise<string> {
  const r = await docker(args, d.dockerEnv, opts);
  assert.equal(r.code, 0, `docker ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return opts.raw ? r.stdout : r.stdout.trim();
}

/** Whether util-linux `script` is there to give the docker CLI a terminal. */
export function haveScript(): boolean {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** `docker args…` under a pseudo-terminal (util-linux `script -e`), for `-t` runs. */
export function dockerTty(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CliResult> {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const cmd = [DOCKER_BIN, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-eqc', cmd, '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(t); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}

/** Polls `fn` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

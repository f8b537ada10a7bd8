// Registries as child processes (berth's main.ts and Debian's docker-registry) and the skopeo
// client, all asynchronous so an in-process server keeps serving while a client runs.
// Every child is killed by its PID in `stop()`; every temporary directory is removed.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpFetch } from '../../src/registry/client/http-fetch.ts';

const REPO = join(import.meta.dirname, '..', '..');

export interface ChildRegistry {
  host: string;
  url: string;
  root: string;
  pid: number;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid) {
    process.kill(child.pid, 'SIGTERM');
    const t = setTimeout(() => { if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL'); }, 3000);
    await exited(child);
    clearTimeout(t);
  }
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`registry exited (${child.exitCode}): ${log()}`);
    try {
      const res = await httpFetch(`${url}/v2/`, { insecureTls: true });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`registry at ${url} did not come up: ${log()}`);
}

/**
 * `node src/registry/main.ts serve --addr 127.0.0.1:0 --root <tmp> [--config FILE]`; `entry`
 * replaces main.ts (the benchmark runs an esbuild bundle of it, as shipped).
 */
export async function startBerthChild(opts: { config?: object; quiet?: boolean; entry?: string } = {}): Promise<ChildRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-regchild-'));
  const root = join(dir, 'root');
  const args = [opts.entry ?? join(REPO, 'src/registry/main.ts'), 'serve', '--addr', '127.0.0.1:0', '--root', root];
  if (opts.config) {
    writeFileSync(join(dir, 'config.json'), JSON.stringify(opts.config));
    args.push('--config', join(dir, 'config.json'));
  }
  if (opts.quiet !== false) args.push('--quiet');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /listening on (https?:\/\/[^\s]+)/.exec(err);
      if (m) { child.stderr!.off('data', onData); resolve(m[1]); }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`berth registry exited ${code}: ${err}`)));
  });
  return {
    host: url.replace(/^https?:\/\//, ''), url, root, pid: child.pid!,
    async stop() {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's docker-registry (distribution 2.x) with a filesystem root in a temp dir; HTTPS only
 * with `tls` (PEM certificate and key files).
 */
export async function startDockerRegistry(opts: { htpasswd?: string; tls?: { certificate: string; key: string } } = {}): Promise<ChildRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-distribution-'));
  const root = join(dir, 'root');
  const port = await freePort();
  const auth = opts.htpasswd ? `auth:\n  htpasswd:\n    realm: test\n    path: ${opts.htpasswd}\n` : '';
  writeFileSync(join(dir, 'config.yml'), `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${root}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
${opts.tls ? `  tls:\n    certificate: ${opts.tls.certificate}\n    key: ${opts.tls.key}\n` : ''}${auth}`);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  try {
    await waitReady(url, child, () => err);
  } catch (e) {
    await kill(child);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    host: `127.0.0.1:${port}`, url, root, pid: child.pid!,
    async stop() {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs skopeo; resolves with stdout, rejects with stderr on failure. */
export function skopeo(args: string[], timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('skopeo', args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`skopeo ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

// Starts a berthd for an e2e test: a child process on a temporary unix socket with its own
// data root, exec root, pidfile and daemon.json, ready once /_ping answers. `stop()` ends it by
// PID (SIGTERM, then SIGKILL after a grace period) and removes the temporary directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..', '..');

export interface StartOptions {
  /** Extra berthd flags (after -H, --data-root, --exec-root, --pidfile, --config-file). */
  args?: string[];
  /** Written as the daemon.json passed with --config-file (default `{}`). */
  config?: Record<string, unknown>;
  /** Extra environment for berthd. */
  env?: NodeJS.ProcessEnv;
  /** Entry point instead of src/daemon/main.ts (e.g. a bundle from dist/). */
  entry?: string;
  /** How long to wait for /_ping (default 15 s). */
  readyTimeoutMs?: number;
  /** Pass-through of berthd's stderr to ours as it comes (debugging). */
  echo?: boolean;
  /** Reuse the directory (data root, exec root, socket) of an earlier berthd, e.g. after `kill()`. */
  dir?: string;
  /** Import the busybox fixture rootfs as `busybox:latest` (CMD ["sh"]) before berthd starts. */
  busybox?: boolean;
}

export interface Berthd {
  pid: number;
  /** The unix socket path. */
  socket: string;
  /** `unix://<socket>` */
  host: string;
  dir: string;
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  /** Environment for the docker CLI: DOCKER_HOST set, its own DOCKER_CONFIG, no stray DOCKER_* settings. */
  dockerEnv: NodeJS.ProcessEnv;
  /** berthd's stderr so far (for failure messages). */
  stderr(): string;
  /** Whether the process is still running. */
  running(): boolean;
  /** SIGTERM, wait (SIGKILL after `graceMs`), remove the temp dir; resolves to the exit code or signal. */
  stop(graceMs?: number): Promise<number | string>;
  /** SIGKILL at once (crash tests); the temp dir stays until `stop()`. */
  kill(): Promise<void>;
}

function exited(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode!);
    else child.once('exit', (code, sig) => resolve(code ?? sig ?? -1));
  });
}

/** GET /_ping over the socket: true when it answers 200. */
export function pingSocket(socket: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
    req.end();
  });
}

function mountsUnder(dir: string): string[] {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((m) => m && (m === dir || m.startsWith(`${dir}/`)));
  } catch { return []; }
}

function nodeBinary(): string {
  const own = join(REPO, 'node_modules', 'node', 'bin', 'node');
  return existsSync(own) ? own : process.execPath;
}

export function dockerEnvFor(host: string, configDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: configDir, DOCKER_CLI_HINTS: 'false' };
  for (const k of ['DOCKER_CONTEXT', 'DOCKER_API_VERSION', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS']) delete env[k];
  return env;
}

/** Imports the busybox fixture rootfs into `dataRoot`'s image store as busybox:latest. */
export async function seedBusybox(dataRoot: string): Promise<void> {
  const { ImageService } = await import('../../../src/image/service.ts');
  const { busyboxRootfs } = await import('../../support/bundle.ts');
  const images = new ImageService({ root: join(dataRoot, 'image') });
  try {
    const tar = spawn('tar', ['-C', busyboxRootfs(), '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await images.import(tar.stdout!, { ref: 'busybox:latest', changes: ['CMD ["sh"]'] });
    await exited(tar);
  } finally {
    images.close();
  }
}

/** The link-name and nft-table tag of the berthd on `dir` (links `bt-<tag>…`, table `berth_test_<tag>`). */
export function netTag(dir: string): string {
  return createHash('sha256').update(dir).digest('hex').slice(0, 6);
}

export async function startBerthd(opts: StartOptions = {}): Promise<Berthd> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'berth-test-e2e-'));
  const socket = join(dir, 'berth.sock');
  const dataRoot = join(dir, 'data');
  const execRoot = join(dir, 'exec');
  const pidfile = join(dir, 'berthd.pid');
  const configFile = join(dir, 'daemon.json');
  const dockerConfig = join(dir, 'docker-config');
  mkdirSync(dockerConfig, { recursive: true });
  writeFileSync(configFile, JSON.stringify(opts.config ?? {}));
  if (opts.busybox) await seedBusybox(dataRoot);
  const args = [
    opts.entry ?? join(REPO, 'src', 'daemon', 'main.ts'),
    '-H', `unix://${socket}`, '--data-root', dataRoot, '--exec-root', execRoot, '--pidfile', pidfile, '--config-file', configFile,
    ...(opts.args ?? []),
  ];
  // Test daemons keep to their own link names, nft table and the host's ip_forward setting
  // (derived from the directory, so a daemon restarted on it finds them again).
  const tag = netTag(dir);
  const netEnv = { BERTH_LINK_PREFIX: `bt-${tag}`, BERTH_NFT_TABLE: `berth_test_${tag}`, BERTH_IP_FORWARD: '0' };
  const child = spawn(nodeBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...netEnv, ...opts.env } });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => {
    err += c;
    if (opts.echo) process.stderr.write(c);
  });
  const done = exited(child);
  let removed = false;
  const cleanup = () => {
    if (removed) return;
    const mounts = mountsUnder(dir);
    if (mounts.length) throw new Error(`berthd left mounts under ${dir}: ${mounts.join(', ')}`);
    rmSync(dir, { recursive: true, force: true });
    removed = true;
  };
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async (graceMs = 5000): Promise<number | string> => {
    if (alive() && child.pid) {
      process.kill(child.pid, 'SIGTERM');
      const t = setTimeout(() => { if (alive() && child.pid) process.kill(child.pid, 'SIGKILL'); }, graceMs);
      await done;
      clearTimeout(t);
    }
    const code = await done;
    cleanup();
    return code;
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000);
  for (;;) {
    if (!alive()) {
      const code = await done;
      cleanup();
      throw new Error(`berthd exited (${code}) before answering /_ping:\n${err}`);
    }
    if (existsSync(socket) && (await pingSocket(socket))) break;
    if (Date.now() > deadline) {
      await stop(1000);
      throw new Error(`berthd did not answer /_ping on ${socket} within ${opts.readyTimeoutMs ?? 15_000} ms:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid!, socket, host: `unix://${socket}`, dir, dataRoot, execRoot, pidfile,
    dockerEnv: dockerEnvFor(`unix://${socket}`, dockerConfig),
    stderr: () => err,
    running: alive,
    stop,
    kill: async () => {
      if (alive() && child.pid) process.kill(child.pid, 'SIGKILL');
      await done;
    },
  };
}

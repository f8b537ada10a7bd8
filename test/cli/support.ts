// e2e support for the berth CLI: a berthd whose data root holds busybox:latest (imported from the
// fixture rootfs before the daemon starts), and runners for `bin/berth` (BERTH_DEV=1) and the
// real docker CLI against it.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ImageService } from '../../src/image/service.ts';
import { busyboxRootfs } from '../support/bundle.ts';
import { startBerthd, type Berthd } from '../e2e/support/daemon.ts';
import { docker, type CliResult } from '../e2e/support/docker-cli.ts';

const REPO = join(import.meta.dirname, '..', '..');
export const BERTH_BIN = join(REPO, 'bin', 'berth');

export interface CliDaemon {
  d: Berthd;
  berth(args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult>;
  docker(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<CliResult>;
  stop(): Promise<void>;
}

export async function seedBusybox(dataRoot: string, ref = 'busybox:latest'): Promise<string> {
  mkdirSync(join(dataRoot, 'image'), { recursive: true });
  const images = new ImageService({ root: join(dataRoot, 'image') });
  try {
    const tar = spawn('tar', ['-C', busyboxRootfs(), '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    return await images.import(tar.stdout, { ref, changes: ['CMD ["sh"]'] });
  } finally {
    images.close();
  }
}

export function runBerth(args: string[], env: NodeJS.ProcessEnv, opts: { input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(BERTH_BIN, args, { env: { ...env, BERTH_DEV: '1' }, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      if (e && typeof e.code !== 'number' && !e.killed) return reject(err);
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

export async function startCliDaemon(): Promise<CliDaemon> {
  const dataRoot = mkdtempSync(join('/tmp', 'berth-test-cli-data-'));
  await seedBusybox(dataRoot);
  const d = await startBerthd({ args: ['--data-root', dataRoot] });
  return {
    d,
    berth: (args, o = {}) => runBerth(args, { ...d.dockerEnv, ...o.env }, o),
    docker: (args, o = {}) => docker(args, d.dockerEnv, o),
    async stop() {
      await d.stop();
      rmSync(dataRoot, { recursive: true, force: true });
    },
  };
}

/** Masks what differs between two runs: durations ("5 seconds ago"), ids given in `ids`. */
export function maskTimes(s: string): string {
  return s.replace(/(Less than a second|About an? (minute|hour)|\d+ (seconds|minutes|hours|days|weeks|months|years)|1 second)( ago)?/g, 'T$4');
}

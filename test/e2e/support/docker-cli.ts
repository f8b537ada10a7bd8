// Runs the real docker CLI (v28 at /usr/local/bin/docker; DOCKER_BIN overrides) against a berthd.
import { execFile, spawnSync } from 'node:child_process';

export const DOCKER_BIN = process.env.DOCKER_BIN ?? '/usr/local/bin/docker';

export interface CliResult { code: number; stdout: string; stderr: string }

export function haveDocker(bin = DOCKER_BIN): boolean {
  return spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** `docker args…` with `env` (use Berthd.dockerEnv); never throws for a non-zero exit. */
export function docker(args: string[], env: NodeJS.ProcessEnv, opts: { input?: string; timeoutMs?: number; bin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(opts.bin ?? DOCKER_BIN, args, { env, timeout: opts.timeoutMs ?? 30_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      if (e && typeof e.code !== 'number' && !e.killed) return reject(err);
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

// @pure
// Create-time merge of the user's Config with the image's config (moby daemon/commit.go merge),
// the process's path and args (getEntrypointAndArgs), and its environment
// (container.CreateDaemonEnvironment + ReplaceOrAppendEnvValues).
import { invalidArgument } from '../../errors/errors.ts';
import type { ContainerConfig, ImageConfig } from '../docker-types.ts';

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const envKey = (kv: string): string => {
  const i = kv.indexOf('=');
  return i < 0 ? kv : kv.slice(0, i);
};

/**
 * Docker's ReplaceOrAppendEnvValues: `overrides` replace same-key entries of `defaults` in place
 * and are appended otherwise; a bare "KEY" (no "=") in overrides removes KEY.
 */
export function replaceOrAppendEnv(defaults: readonly string[], overrides: readonly string[]): string[] {
  const out = [...defaults];
  for (const kv of overrides) {
    const key = envKey(kv);
    const idx = out.findIndex((d) => envKey(d) === key);
    if (!kv.includes('=')) {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = kv;
    else out.push(kv);
  }
  return out;
}

/** An explicit empty entrypoint (`--entrypoint ""` sends [""]) means "none", blocking the image's too. */
const isReset = (ep: string[] | null | undefined): boolean => Array.isArray(ep) && (ep.length === 0 || (ep.length === 1 && ep[0] === ''));

/**
 * The container's Config after taking the image's defaults: User, Env (image first, user's
 * override by key), WorkingDir, Entrypoint/Cmd (the image's Cmd only when the user gave neither
 * an entrypoint nor a cmd), StopSignal, Labels, ExposedPorts, Volumes, Healthcheck.
 */
export function mergeImageConfig(user: ContainerConfig, image: ImageConfig | undefined): ContainerConfig {
  const c: ContainerConfig = structuredClone(user);
  if (!image) return c;
  if (!c.User && image.User) c.User = image.User;
  if (image.Env?.length) c.Env = c.Env?.length ? replaceOrAppendEnv(image.Env, c.Env) : [...image.Env];
  if (!c.WorkingDir && image.WorkingDir) c.WorkingDir = image.WorkingDir;
  const userEntrypoint = c.Entrypoint != null;
  if (isReset(c.Entrypoint)) c.Entrypoint = [];
  if (!c.Entrypoint?.length && !userEntrypoint) {
    if (!c.Cmd?.length && image.Cmd) {
      c.Cmd = [...image.Cmd];
      if (image.ArgsEscaped) c.ArgsEscaped = true;
    }
    if (image.Entrypoint) c.Entrypoint = [...image.Entrypoint];
  }
  if (!c.StopSignal && image.StopSignal) c.StopSignal = image.StopSignal;
  if (image.Labels) c.Labels = { ...image.Labels, ...(c.Labels ?? {}) };
  if (image.ExposedPorts) c.ExposedPorts = { ...image.ExposedPorts, ...(c.ExposedPorts ?? {}) };
  if (image.Volumes) c.Volumes = { ...image.Volumes, ...(c.Volumes ?? {}) };
  if (!c.Healthcheck && image.Healthcheck) c.Healthcheck = structuredClone(image.Healthcheck);
  else if (c.Healthcheck && image.Healthcheck) {
    // A user healthcheck with only some fields takes the rest from the image's.
    const h = { ...image.Healthcheck, ...c.Healthcheck };
    if (!c.Healthcheck.Test?.length) h.Test = image.Healthcheck.Test;
    c.Healthcheck = h;
  }
  if (!c.Shell?.length && image.Shell?.length) c.Shell = [...image.Shell];
  if (!c.OnBuild?.length && image.OnBuild?.length) c.OnBuild = [...image.OnBuild];
  return c;
}

/** The container's Path and Args (Docker stores them on the record). */
export function entrypointAndArgs(c: ContainerConfig): { path: string; args: string[] } {
  const ep = c.Entrypoint ?? [];
  const cmd = c.Cmd ?? [];
  const all = [...ep, ...cmd];
  if (all.length === 0 || (ep.length === 0 && cmd[0] === '')) throw invalidArgument('No command specified');
  return { path: all[0], args: all.slice(1) };
}

/** The process env: PATH, HOSTNAME, TERM=xterm with a tty, then Config.Env replacing or appending. */
export function containerEnv(c: ContainerConfig, linked: readonly string[] = []): string[] {
  const base = [DEFAULT_PATH_ENV, `HOSTNAME=${c.Hostname ?? ''}`];
  if (c.Tty) base.push('TERM=xterm');
  base.push(...linked);
  return replaceOrAppendEnv(base, c.Env ?? []);
}

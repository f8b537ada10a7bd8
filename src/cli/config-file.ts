// The docker CLI's config.json (shared with docker): `auths` with base64 user:password,
// psFormat/imagesFormat defaults. Read and written whole; unknown keys are kept.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AuthEntry { auth?: string; identitytoken?: string; email?: string }
export interface ConfigFile {
  auths?: Record<string, AuthEntry>;
  psFormat?: string;
  imagesFormat?: string;
  detachKeys?: string;
  [k: string]: unknown;
}

export function defaultConfigDir(env: Record<string, string | undefined>): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

export function loadConfig(dir: string): ConfigFile {
  try {
    return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as ConfigFile;
  } catch {
    return {};
  }
}

export function saveConfig(dir: string, cfg: ConfigFile): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'config.json');
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(cfg, null, '\t')}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The registry key docker uses in `auths`: Docker Hub is https://index.docker.io/v1/. */
export const HUB_AUTH_KEY = 'https://index.docker.io/v1/';

export function authKey(registry: string): string {
  if (!registry || registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') return HUB_AUTH_KEY;
  return registry.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/** X-Registry-Auth header value for a registry host, from config.json (base64url JSON). */
export function registryAuthHeader(cfg: ConfigFile, registry: string): string {
  const e = cfg.auths?.[authKey(registry)] ?? cfg.auths?.[`https://${authKey(registry)}`];
  let body: Record<string, string> = {};
  if (e?.auth) {
    const dec = Buffer.from(e.auth, 'base64').toString('utf8');
    const i = dec.indexOf(':');
    body = { username: dec.slice(0, i), password: dec.slice(i + 1), serveraddress: authKey(registry) };
  } else if (e?.identitytoken) body = { identitytoken: e.identitytoken, serveraddress: authKey(registry) };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

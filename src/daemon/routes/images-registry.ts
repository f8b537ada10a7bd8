// The daemon's registry settings and credentials: daemon.json `registry-mirrors` and
// `insecure-registries` make the engine's RegistryClient; each pull/push/login brings its own
// credentials in `X-Registry-Auth` (base64url JSON, as the docker CLI sends it), used for that
// request only (dockerd never reads a ~/.docker/config.json either).
import { invalidArgument } from '../../errors/errors.ts';
import type { RegistryClient } from '../../registry/client/registry-client.ts';
import type { Credential } from '../../registry/client/credentials.ts';
import { DOCKER_HUB_HOST, type RegistryHosts } from '../../registry/client/resolver.ts';

function stringList(v: unknown, key: string): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  throw invalidArgument(`invalid value for "${key}" in the configuration file: expected a list of strings`);
}

/** Registry hosts from daemon.json directives (`options.extra`). Mirrors must be http(s) URLs, as dockerd checks. */
export function registryHostsFrom(extra: Record<string, unknown>): RegistryHosts {
  const mirrors = stringList(extra['registry-mirrors'], 'registry-mirrors').map((m) => {
    let u: URL;
    try { u = new URL(m); } catch { throw invalidArgument(`invalid mirror: "${m}" is not a valid URI`); }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalidArgument(`invalid mirror: unsupported scheme "${u.protocol.slice(0, -1)}" in "${m}"`);
    if (u.pathname !== '/' && u.pathname !== '') throw invalidArgument(`invalid mirror: path, query, or fragment at end of the URI "${m}"`);
    return `${u.protocol}//${u.host}`;
  });
  const insecure = stringList(extra['insecure-registries'], 'insecure-registries');
  return { mirrors, insecure };
}

/**
 * The engine's registry client, made when first needed (the client is loaded lazily: an idle
 * daemon does without it); the directives are checked now.
 */
export function registryClientFrom(extra: Record<string, unknown>): () => Promise<RegistryClient> {
  const hosts = registryHostsFrom(extra);
  return async () => new (await import('../../registry/client/registry-client.ts')).RegistryClient({ hosts, userAgent: 'berthd/0.1' });
}

/** Docker's AuthConfig as it travels in X-Registry-Auth and the /auth body. */
export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
  email?: string;
}

/** Decodes X-Registry-Auth (base64url or base64 JSON); absent, empty or `{}` → undefined. */
export function decodeRegistryAuth(header: string | string[] | undefined): AuthConfig | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (!h || !h.trim()) return undefined;
  let cfg: AuthConfig;
  try {
    cfg = JSON.parse(Buffer.from(h.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as AuthConfig;
  } catch {
    throw invalidArgument('invalid X-Registry-Auth header: not base64-encoded JSON');
  }
  if (!cfg || typeof cfg !== 'object') throw invalidArgument('invalid X-Registry-Auth header: not a JSON object');
  return authCredential(cfg) ? cfg : undefined;
}

export function authCredential(cfg: AuthConfig): Credential | undefined {
  let { username, password } = cfg;
  if (!username && cfg.auth) {
    const s = Buffer.from(cfg.auth, 'base64').toString('utf8');
    const i = s.indexOf(':');
    if (i > 0) { username = s.slice(0, i); password = s.slice(i + 1); }
  }
  if (cfg.identitytoken) return { identityToken: cfg.identitytoken };
  if (username) return { username, password: password ?? '' };
  return undefined;
}

/** The host credentials are looked up by for a login's server address (Docker Hub's several names → its registry host). */
export function serverHost(address: string | undefined): string {
  const a = (address ?? '').replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (!a || a === 'docker.io' || a === 'index.docker.io' || a === 'registry-1.docker.io') return DOCKER_HUB_HOST;
  return a;
}

/**
 * A client for one request: the engine's hosts with the request's credentials (for every host the
 * request reaches: the CLI sends the credentials of the registry the reference names).
 */
export async function clientFor(base: RegistryClient, auth: AuthConfig | undefined): Promise<RegistryClient> {
  const cred = auth && authCredential(auth);
  if (!cred) return base;
  const { RegistryClient } = await import('../../registry/client/registry-client.ts');
  return new RegistryClient({ hosts: base.hosts, userAgent: 'berthd/0.1', credentials: { get: async () => cred } });
}


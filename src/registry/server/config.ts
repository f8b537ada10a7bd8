// The registry's configuration: defaults, and loading a JSON config file.
import { readFile } from 'node:fs/promises';
import { BerthError, wrap } from '../../errors/errors.ts';

export interface AccessRule {
  /** Account name, or `*` for any authenticated account, or `anonymous`. */
  account: string;
  /** Repository name or a prefix pattern ending in `*` (`team/*`, `*`). */
  repository: string;
  actions: string[];
}

export interface AuthConfig {
  /** htpasswd file (bcrypt `$2y$`/`$2a$`/`$2b$`, `{SHA}`): basic auth, or the token endpoint's users. */
  htpasswd?: { path: string; realm?: string };
  /** Docker token auth with the registry's own token endpoint at `/token`. */
  token?: {
    /** The realm advertised to clients; default: this server's `/token` URL (from the Host header). */
    realm?: string;
    service?: string;
    issuer?: string;
    /** HMAC-SHA256 secret for tokens; default: random per process. */
    secret?: string;
    expiresIn?: number;
  };
  /** Who may do what; default: authenticated accounts may do everything, anonymous nothing. */
  access?: AccessRule[];
}

export interface ProxyConfig {
  /** Default: Docker Hub, https://registry-1.docker.io (bearer token flow). */
  remoteUrl?: string;
  username?: string;
  password?: string;
  /** A tag served from the cache without asking the upstream for this long; 0 (default): ask on every read. */
  tagTtlSeconds?: number;
}

export interface RegistryConfig {
  root: string;
  deleteEnabled: boolean;
  readOnly: boolean;
  maxManifestBytes: number;
  auth?: AuthConfig;
  tls?: { cert: string; key: string };
  /**
   * Pull-through cache of an upstream registry (distribution's `proxy:`; its spellings
   * `remoteurl` and `ttl` are accepted too). Pushes are refused while it is set.
   */
  proxy?: ProxyConfig;
  /** How long a write waits for a garbage collection to end before answering 503. */
  gcWaitMs: number;
}

export const DEFAULT_CONFIG: Omit<RegistryConfig, 'root'> = {
  deleteEnabled: true,
  readOnly: false,
  maxManifestBytes: 4 * 1024 * 1024,
  gcWaitMs: 60_000,
};

export function withDefaults(partial: Partial<RegistryConfig> & { root: string }): RegistryConfig {
  return { ...DEFAULT_CONFIG, ...partial };
}

/** Reads a JSON config file; `root` from the command line wins over the file's. */
export async function loadConfig(path: string | undefined, overrides: Partial<RegistryConfig>): Promise<RegistryConfig> {
  let file: Partial<RegistryConfig> = {};
  if (path) {
    try {
      file = JSON.parse(await readFile(path, 'utf8')) as Partial<RegistryConfig>;
    } catch (err) {
      throw wrap(`read registry config ${path}`, err);
    }
  }
  if (file.proxy) file.proxy = normalizeProxy(file.proxy as ProxyConfig & Record<string, unknown>);
  const merged = { ...file, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  if (!merged.root) throw new BerthError('InvalidArgument', 'registry: --root (or "root" in the config) is required');
  return withDefaults(merged as Partial<RegistryConfig> & { root: string });
}

/** Accepts distribution's lower-case keys (`remoteurl`, `ttl` as seconds or a Go duration like `168h`). */
export function normalizeProxy(p: ProxyConfig & Record<string, unknown>): ProxyConfig {
  const out: ProxyConfig = { ...p };
  delete (out as Record<string, unknown>).remoteurl;
  delete (out as Record<string, unknown>).ttl;
  if (out.remoteUrl === undefined && typeof p.remoteurl === 'string') out.remoteUrl = p.remoteurl;
  if (out.tagTtlSeconds === undefined && p.ttl !== undefined) out.tagTtlSeconds = parseSeconds(p.ttl);
  if (out.remoteUrl !== undefined && !/^https?:\/\/[^/]+/.test(out.remoteUrl)) {
    throw new BerthError('InvalidArgument', `registry: proxy.remoteUrl must be an http(s) URL, got ${out.remoteUrl}`);
  }
  return out;
}

function parseSeconds(v: unknown): number {
  if (typeof v === 'number' && v >= 0) return v;
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)(h|m|s|ms)?$/.exec(v.trim()) : null;
  if (!m) throw new BerthError('InvalidArgument', `registry: proxy.ttl must be seconds or a duration like 168h, got ${String(v)}`);
  const unit = { h: 3600, m: 60, s: 1, ms: 0.001 }[(m[2] ?? 's') as 'h' | 'm' | 's' | 'ms'];
  return Number(m[1]) * unit;
}

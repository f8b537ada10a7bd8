// Credentials as `docker login` stores them in ~/.docker/config.json (or $DOCKER_CONFIG):
// `auths` entries with a base64 "user:password" `auth` (or `identitytoken`), and credential
// helpers (`credHelpers` per host, `credsStore` for all) run as `docker-credential-<name> get`
// with the server URL on stdin. Docker Hub's key is https://index.docker.io/v1/.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_HUB_HOST } from './resolver.ts';

export interface Credential {
  username?: string;
  password?: string;
  /** An OAuth refresh token (`docker login` with a token); sent as a bearer token request's password. */
  identityToken?: string;
}

export interface CredentialSource {
  get(host: string): Promise<Credential | undefined>;
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

const HUB_KEY = 'https://index.docker.io/v1/';

function keyHost(k: string): string {
  return k.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

function isHub(host: string): boolean {
  return host === DOCKER_HUB_HOST || host === 'docker.io' || host === 'index.docker.io';
}

export type HelperRunner = (helper: string, serverUrl: string) => Promise<string>;

const runHelper: HelperRunner = (helper, serverUrl) => new Promise((resolve, reject) => {
  const p = execFile(`docker-credential-${helper}`, ['get'], { timeout: 30_000 }, (err, stdout, stderr) => {
    if (err) reject(new Error(`docker-credential-${helper} get: ${stderr.trim() || stdout.trim() || err.message}`));
    else resolve(stdout);
  });
  p.stdin?.end(serverUrl);
});

export class DockerConfigCredentials implements CredentialSource {
  readonly #path: string;
  readonly #run: HelperRunner;

  constructor(opts: { configDir?: string; runHelper?: HelperRunner } = {}) {
    const dir = opts.configDir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
    this.#path = join(dir, 'config.json');
    this.#run = opts.runHelper ?? runHelper;
  }

  #read(): DockerConfigFile {
    try {
      return JSON.parse(readFileSync(this.#path, 'utf8')) as DockerConfigFile;
    } catch {
      return {};
    }
  }

  async get(host: string): Promise<Credential | undefined> {
    const cfg = this.#read();
    const hub = isHub(host);
    const serverUrl = hub ? HUB_KEY : host;
    const helper = cfg.credHelpers?.[hub ? HUB_KEY : host] ?? (hub ? cfg.credHelpers?.['docker.io'] : undefined) ?? cfg.credsStore;
    if (helper) {
      try {
        const out = JSON.parse(await this.#run(helper, serverUrl)) as { Username?: string; Secret?: string };
        if (out.Username === '<token>') return { identityToken: out.Secret };
        if (out.Username || out.Secret) return { username: out.Username, password: out.Secret };
      } catch (e) {
        if (!/credentials not found/i.test(String(e))) throw e;
      }
    }
    for (const [k, v] of Object.entries(cfg.auths ?? {})) {
      const kh = keyHost(k);
      if (!(kh === host || (hub && isHub(kh)))) continue;
      if (v.identitytoken) return { identityToken: v.identitytoken };
      if (v.auth) {
        const s = Buffer.from(v.auth, 'base64').toString('utf8');
        const i = s.indexOf(':');
        if (i > 0) return { username: s.slice(0, i), password: s.slice(i + 1) };
      }
      if (v.username) return { username: v.username, password: v.password };
    }
    return undefined;
  }
}

/** Fixed credentials per host (tests, `--creds`). */
export class StaticCredentials implements CredentialSource {
  readonly #map: Map<string, Credential>;
  constructor(map: Record<string, Credential>) {
    this.#map = new Map(Object.entries(map));
  }
  async get(host: string): Promise<Credential | undefined> {
    return this.#map.get(host);
  }
}

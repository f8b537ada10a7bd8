// Registry authentication: the `WWW-Authenticate` challenge of a 401 decides between Basic (the
// stored user:password) and Bearer (a token from the realm, for the service and the per-repository
// scopes of the request, with Basic credentials when there are some, anonymous otherwise).
// Authorization values are cached per host and scope set until a 401 says otherwise.
import { BerthError } from '../../errors/errors.ts';
import type { Credential, CredentialSource } from './credentials.ts';
import type { Fetch, HttpResponse } from './http-fetch.ts';

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (first challenge only). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/g;
  for (let p = re.exec(m[2]); p; p = re.exec(m[2])) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  return { scheme: m[1].toLowerCase(), params };
}

export function basicValue(c: Credential): string {
  return `Basic ${Buffer.from(`${c.username ?? ''}:${c.password ?? ''}`).toString('base64')}`;
}

export type { Fetch };

export class Authorizer {
  readonly #creds?: CredentialSource;
  readonly #fetch: Fetch;
  readonly #cache = new Map<string, string>();

  constructor(creds: CredentialSource | undefined, f: Fetch) {
    this.#creds = creds;
    this.#fetch = f;
  }

  cached(host: string, scopes: string[]): string | undefined {
    return this.#cache.get(`${host} ${scopes.join(' ')}`) ?? this.#cache.get(`${host} basic`);
  }

  forget(host: string, scopes: string[]): void {
    this.#cache.delete(`${host} ${scopes.join(' ')}`);
    this.#cache.delete(`${host} basic`);
  }

  /** The Authorization value answering `challenge` for `scopes`. */
  async answer(host: string, challenge: string, scopes: string[], signal?: AbortSignal, insecureTls?: boolean): Promise<string> {
    const ch = parseChallenge(challenge);
    const cred = await this.#creds?.get(host);
    if (ch?.scheme === 'basic') {
      if (!cred?.username) throw new BerthError('Unauthenticated', `${host}: authentication required (no credentials; run docker login ${host})`);
      const v = basicValue(cred);
      this.#cache.set(`${host} basic`, v);
      return v;
    }
    if (ch?.scheme !== 'bearer' || !ch.params.realm) throw new BerthError('Unauthenticated', `${host}: unsupported authentication challenge: ${challenge}`);
    const url = new URL(ch.params.realm);
    const res = cred?.identityToken && !cred.username
      ? await this.#oauth(url, ch.params.service, scopes, cred.identityToken, signal, insecureTls)
      : await this.#tokenGet(url, ch.params.service, scopes, cred?.username ? basicValue(cred) : undefined, signal, insecureTls);
    const text = await res.text();
    if (res.status === 401 || res.status === 403) throw new BerthError('Unauthenticated', `${host}: token request refused (${res.status}): ${text.slice(0, 200)}`);
    if (!res.ok) throw new BerthError('Unavailable', `${host}: token request failed (${res.status}): ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new BerthError('Unauthenticated', `${host}: token response without a token`);
    const v = `Bearer ${token}`;
    this.#cache.set(`${host} ${scopes.join(' ')}`, v);
    return v;
  }

  /** distribution's token GET: service and scopes in the query, credentials as Basic. */
  #tokenGet(realm: URL, service: string | undefined, scopes: string[], authorization: string | undefined, signal?: AbortSignal, insecureTls?: boolean): Promise<HttpResponse> {
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    for (const s of scopes) url.searchParams.append('scope', s);
    return this.#fetch(url, { headers: authorization ? { authorization } : {}, signal, insecureTls });
  }

  /**
   * An identity token (the refresh token `docker login` got) is exchanged as Docker does: an
   * OAuth2 POST (grant_type=refresh_token, client_id=docker). A token server without that flow
   * (404/405) gets the token as the password of `<token>` on the GET.
   */
  async #oauth(realm: URL, service: string | undefined, scopes: string[], refreshToken: string, signal?: AbortSignal, insecureTls?: boolean): Promise<HttpResponse> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'docker', access_type: 'offline' });
    if (service) form.set('service', service);
    if (scopes.length) form.set('scope', scopes.join(' '));
    const res = await this.#fetch(realm, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), signal, insecureTls });
    if (res.status !== 404 && res.status !== 405) return res;
    await res.body?.cancel();
    return this.#tokenGet(realm, service, scopes, basicValue({ username: '<token>', password: refreshToken }), signal, insecureTls);
  }
}

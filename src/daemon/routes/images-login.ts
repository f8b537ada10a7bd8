// POST /auth (`docker login`): the credentials are tried against the registry's /v2/ as
// distribution's clients do: a Basic challenge is answered with them, a Bearer challenge by asking
// the realm for a token with them. Nothing is stored: the CLI keeps the credentials and sends them
// with each pull and push.
import { BerthError, unavailable } from '../../errors/errors.ts';
import { parseChallenge, basicValue } from '../../registry/client/auth.ts';
import { endpointsFor, type RegistryHosts } from '../../registry/client/resolver.ts';
import { httpFetch, type Fetch, type HttpResponse } from '../../registry/client/http-fetch.ts';
import { authCredential, serverHost, type AuthConfig } from './images-registry.ts';

function refused(url: string, res: HttpResponse): BerthError {
  return new BerthError('Unauthenticated', `login attempt to ${url} failed with status: ${res.status} ${res.statusText}`);
}

export async function login(cfg: AuthConfig, hosts: RegistryHosts, f: Fetch = httpFetch, signal?: AbortSignal): Promise<{ Status: string; IdentityToken: string }> {
  const host = serverHost(cfg.serveraddress);
  const ep = endpointsFor(host === 'registry-1.docker.io' ? 'docker.io' : host, hosts).at(-1)!;
  let url = `${ep.url}/v2/`;
  const insecureTls = ep.insecure;
  const cred = authCredential(cfg);
  let res: HttpResponse;
  try {
    res = await f(url, { signal, insecureTls });
  } catch (e) {
    // An insecure registry that does not speak TLS: plain HTTP, as Docker falls back.
    if (!ep.fallback || signal?.aborted) throw unavailable(`Get "${url}": ${(e as Error).message}`, e);
    url = `${ep.fallback}/v2/`;
    res = await f(url, { signal }).catch((e2: Error) => { throw unavailable(`Get "${url}": ${e2.message}`, e2); });
  }
  await res.arrayBuffer().catch(() => undefined);
  const ok = { Status: 'Login Succeeded', IdentityToken: '' };
  if (res.ok) return ok;
  if (res.status !== 401) throw unavailable(`Get "${url}": unexpected status ${res.status} ${res.statusText}`);
  const ch = parseChallenge(res.headers.get('www-authenticate') ?? '');
  if (!cred?.username && !cred?.identityToken) throw refused(url, res);
  const basic = basicValue(cred.username ? cred : { username: '<token>', password: cred.identityToken });
  if (ch?.scheme === 'bearer' && ch.params.realm) {
    const t = new URL(ch.params.realm);
    if (ch.params.service) t.searchParams.set('service', ch.params.service);
    if (cred.username) t.searchParams.set('account', cred.username);
    const tr = await f(t, { headers: { authorization: basic }, signal, insecureTls });
    const body = (await tr.json().catch(() => ({}))) as { token?: string; access_token?: string; refresh_token?: string };
    if (!tr.ok || !(body.token ?? body.access_token)) throw refused(url, tr);
    return { ...ok, IdentityToken: body.refresh_token ?? '' };
  }
  const again = await f(url, { headers: { authorization: basic }, signal, insecureTls });
  await again.arrayBuffer().catch(() => undefined);
  if (!again.ok) throw refused(url, again);
  return ok;
}

// The registry's own token endpoint (`/token`): GET with optional basic auth (the Docker CLI's
// login and pulls), POST with an OAuth2 password grant. Grants the requested scopes that the
// access rules allow, as a signed bearer token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError } from '../protocol/errors.ts';
import { parseScopes } from '../protocol/scope.ts';
import { sendJson, readBody } from '../server/http-io.ts';
import { grant } from './access-policy.ts';
import type { Authenticator } from './authenticator.ts';
import { newTokenId, signToken } from './token.ts';
import { isoTime } from '../../sys/iso-time.ts';

export async function handleToken(req: IncomingMessage, res: ServerResponse, url: URL, auth: Authenticator): Promise<void> {
  const basicChallenge = { 'WWW-Authenticate': `Basic realm="${auth.service}"` };
  let account: string | undefined;
  let scopes = url.searchParams.getAll('scope');
  let service = url.searchParams.get('service') ?? auth.service;
  if (req.method === 'POST') {
    const form = new URLSearchParams((await readBody(req, 64 * 1024, () => new RegistryError('UNSUPPORTED', 'token request too large', { status: 400 }))).toString());
    if (form.get('grant_type') !== 'password') {
      throw new RegistryError('UNSUPPORTED', `unsupported grant_type ${form.get('grant_type')}`, { status: 400 });
    }
    const user = form.get('username') ?? '';
    if (!auth.htpasswd?.check(user, form.get('password') ?? '')) throw new RegistryError('UNAUTHORIZED', 'invalid username or password', { headers: basicChallenge });
    account = user;
    scopes = form.getAll('scope');
    service = form.get('service') ?? service;
  } else if (req.method === 'GET') {
    account = auth.accountFromBasic(req, basicChallenge);
  } else {
    throw new RegistryError('UNSUPPORTED', `${req.method} not allowed on /token`);
  }
  if (service !== auth.service) throw new RegistryError('DENIED', `unknown service ${service}`);
  const access = grant(account, parseScopes(scopes), auth.config?.access);
  const expiresIn = auth.config?.token?.expiresIn ?? 300;
  const now = Math.floor(Date.now() / 1000);
  const token = signToken({ iss: auth.issuer, sub: account ?? '', aud: auth.service, exp: now + expiresIn, nbf: now - 10, iat: now, jti: newTokenId(), access }, auth.secret);
  const issuedAt = isoTime(now * 1000);
  const body: Record<string, unknown> = { token, access_token: token, expires_in: expiresIn, issued_at: issuedAt };
  if (req.method === 'POST') body.scope = scopes.join(' ');
  sendJson(res, 200, body);
}

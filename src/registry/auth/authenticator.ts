// Decides whether a request may proceed: anonymous (no auth configured), htpasswd basic auth,
// or bearer tokens from the registry's token endpoint. Throws the spec's UNAUTHORIZED (401,
// with the WWW-Authenticate challenge clients follow) or DENIED (403).
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { RegistryError } from '../protocol/errors.ts';
import { covers, formatScope, type Access } from '../protocol/scope.ts';
import type { AuthConfig } from '../server/config.ts';
import { grant } from './access-policy.ts';
import { Htpasswd } from './htpasswd.ts';
import { verifyToken } from './token.ts';

export interface Caller {
  account?: string;
  /** Whether the caller may have `access` (used for cross-repository mounts). */
  may(access: Access): boolean;
}

export function basicCredentials(req: IncomingMessage): { user: string; password: string } | undefined {
  const h = req.headers.authorization;
  if (!h || !/^basic /i.test(h)) return undefined;
  const text = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const i = text.indexOf(':');
  if (i < 0) return undefined;
  return { user: text.slice(0, i), password: text.slice(i + 1) };
}

export class Authenticator {
  readonly config: AuthConfig | undefined;
  readonly htpasswd: Htpasswd | undefined;
  readonly secret: string;
  readonly service: string;
  readonly issuer: string;

  constructor(config: AuthConfig | undefined) {
    this.config = config;
    this.htpasswd = config?.htpasswd ? new Htpasswd(config.htpasswd.path) : undefined;
    this.secret = config?.token?.secret ?? randomBytes(32).toString('hex');
    this.service = config?.token?.service ?? 'berth-registry';
    this.issuer = config?.token?.issuer ?? 'berth-registry-token-issuer';
  }

  get mode(): 'none' | 'basic' | 'token' {
    if (this.config?.token) return 'token';
    if (this.htpasswd) return 'basic';
    return 'none';
  }

  /** Account of valid basic credentials; undefined when none were sent; throws when they are wrong. */
  accountFromBasic(req: IncomingMessage, challenge: Record<string, string>): string | undefined {
    const creds = basicCredentials(req);
    if (!creds) return undefined;
    if (!this.htpasswd?.check(creds.user, creds.password)) {
      throw new RegistryError('UNAUTHORIZED', 'invalid username or password', { headers: challenge });
    }
    return creds.user;
  }

  /** `needed` undefined: the base endpoint (authentication only). */
  authorize(req: IncomingMessage, needed: Access[] | undefined, origin: string): Caller {
    const rules = this.config?.access;
    if (this.mode === 'none') return { may: () => true };
    if (this.mode === 'basic') {
      const challenge = { 'WWW-Authenticate': `Basic realm="${this.config?.htpasswd?.realm ?? 'berth-registry'}"` };
      const account = this.accountFromBasic(req, challenge);
      const may = (a: Access) => covers(grant(account, [a], rules), [a]);
      if (needed === undefined ? account === undefined : !needed.every(may)) {
        if (account === undefined) throw new RegistryError('UNAUTHORIZED', 'authentication required', { headers: challenge });
        throw new RegistryError('DENIED', 'requested access to the resource is denied', { detail: needed });
      }
      return { account, may };
    }
    const realm = this.config?.token?.realm ?? `${origin}/token`;
    const challenge = (error?: string) => {
      let v = `Bearer realm="${realm}",service="${this.service}"`;
      if (needed?.length) v += `,scope="${needed.map(formatScope).join(' ')}"`;
      if (error) v += `,error="${error}"`;
      return { 'WWW-Authenticate': v };
    };
    const h = req.headers.authorization;
    const token = h && /^bearer /i.test(h) ? h.slice(7).trim() : undefined;
    const claims = token ? verifyToken(token, this.secret, { issuer: this.issuer, service: this.service, now: Date.now() }) : undefined;
    if (!claims) {
      throw new RegistryError('UNAUTHORIZED', 'authentication required', { headers: challenge(token ? 'invalid_token' : undefined), detail: needed });
    }
    const may = (a: Access) => covers(claims.access, [a]);
    if (needed && !needed.every(may)) {
      throw new RegistryError('UNAUTHORIZED', 'insufficient scope', { headers: challenge('insufficient_scope'), detail: needed });
    }
    return { account: claims.sub || undefined, may };
  }
}

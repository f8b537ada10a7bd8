// Bearer tokens of Docker's token auth: JWTs signed with HMAC-SHA256 by this registry's token
// endpoint and checked by the registry itself (issuer, audience = service, expiry).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Access } from '../protocol/scope.ts';

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  access: Access[];
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signToken(claims: TokenClaims, secret: string): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** The claims of a valid, unexpired token for `service` from `issuer`; undefined otherwise. */
export function verifyToken(token: string, secret: string, expect: { issuer: string; service: string; now: number }): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const want = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2], 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
  try {
    const head = JSON.parse(Buffer.from(parts[0], 'base64url').toString()) as { alg?: string };
    if (head.alg !== 'HS256') return undefined;
    const c = JSON.parse(Buffer.from(parts[1], 'base64url').toString()) as TokenClaims;
    const now = Math.floor(expect.now / 1000);
    if (c.iss !== expect.issuer || c.aud !== expect.service) return undefined;
    if (typeof c.exp !== 'number' || c.exp < now || (typeof c.nbf === 'number' && c.nbf > now + 60)) return undefined;
    if (!Array.isArray(c.access)) return undefined;
    return c;
  } catch {
    return undefined;
  }
}

export function newTokenId(): string {
  return randomBytes(12).toString('hex');
}

// The registry client's HTTP: a small fetch over node:http/https. Node's global fetch (undici)
// costs ~17 MiB of RSS just to load (its JS and llhttp's WASM) and cannot skip TLS verification,
// which Docker does for `insecure-registries`. This one: keep-alive agents, redirects followed
// (Authorization dropped when the origin changes, as fetch does), request bodies as bytes or
// streams (with backpressure), response bodies as async iterables of Buffers, no
// content-encoding negotiation (registries send blobs as they are).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { once } from 'node:events';

export interface HttpInit {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string | AsyncIterable<Uint8Array>;
  signal?: AbortSignal;
  /** 'follow' (default) or 'manual'. */
  redirect?: 'follow' | 'manual';
  /** Accept any TLS certificate (Docker's insecure registries). */
  insecureTls?: boolean;
}

export interface HttpBody extends AsyncIterable<Uint8Array> {
  cancel(): Promise<void>;
}

export interface HttpResponse {
  status: number;
  ok: boolean;
  statusText: string;
  /** The URL of the final response (after redirects). */
  url: string;
  headers: { get(name: string): string | null };
  body: HttpBody | null;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type Fetch = (url: string | URL, init?: HttpInit) => Promise<HttpResponse>;

const httpAgent = new HttpAgent({ keepAlive: true });
type Https = typeof import('node:https');
let tls: { request: Https['request']; verified: import('node:https').Agent; insecure: import('node:https').Agent } | undefined;

/** node:https (and TLS) is loaded on the first https request: a few MiB a plain-HTTP pull does without. */
async function httpsParts(): Promise<NonNullable<typeof tls>> {
  if (!tls) {
    const https = await import('node:https');
    tls = { request: https.request, verified: new https.Agent({ keepAlive: true }), insecure: new https.Agent({ keepAlive: true, rejectUnauthorized: false }) };
  }
  return tls;
}

const isStream = (b: HttpInit['body']): b is AsyncIterable<Uint8Array> =>
  typeof b === 'object' && b !== null && !(b instanceof Uint8Array) && Symbol.asyncIterator in b;

function toResponse(res: IncomingMessage, url: string): HttpResponse {
  const status = res.statusCode ?? 0;
  let used = false;
  const all = async (): Promise<Buffer> => {
    if (used) throw new TypeError('body already used');
    used = true;
    const parts: Buffer[] = [];
    for await (const c of res) parts.push(c as Buffer);
    return Buffer.concat(parts);
  };
  const body: HttpBody = {
    [Symbol.asyncIterator]() {
      used = true;
      return res[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    },
    async cancel() {
      used = true;
      if (res.complete) res.resume();
      else res.destroy();
    },
  };
  return {
    status,
    ok: status >= 200 && status < 300,
    statusText: res.statusMessage ?? '',
    url,
    headers: {
      get(name) {
        const v = res.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
    },
    body,
    text: async () => (await all()).toString('utf8'),
    json: async () => JSON.parse((await all()).toString('utf8')) as unknown,
    arrayBuffer: async () => {
      const b = await all();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
  };
}

async function once1(u: URL, init: HttpInit, headers: Record<string, string>, method: string, body: HttpInit['body']): Promise<IncomingMessage> {
  const https = u.protocol === 'https:';
  if (!https && u.protocol !== 'http:') throw new TypeError(`unsupported URL scheme: ${u.protocol}`);
  const h = { ...headers };
  if (body !== undefined && !isStream(body) && h['content-length'] === undefined) h['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  if (body === undefined && method !== 'GET' && method !== 'HEAD' && h['content-length'] === undefined) h['content-length'] = '0';
  const t = https ? await httpsParts() : undefined;
  const req = (t ? t.request : httpRequest)(u, {
    method, headers: h, signal: init.signal,
    agent: t ? (init.insecureTls ? t.insecure : t.verified) : httpAgent,
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', (e: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed as we reused it: no byte of an answer came,
      // so the request is sent again on a fresh one (once; not for a streamed body).
      if (req.reusedSocket && e.code === 'ECONNRESET' && !isStream(body) && !init.signal?.aborted) resolve(once1(u, init, headers, method, body));
      else reject(e);
    });
  });
  response.catch(() => {}); // observed by the caller; this keeps an early failure from going unhandled
  try {
    if (isStream(body)) {
      for await (const c of body) if (!req.write(c)) await Promise.race([once(req, 'drain'), response]);
      req.end();
    } else req.end(body);
  } catch (e) {
    req.destroy(e as Error);
    throw e;
  }
  return response;
}

/** fetch over node:http/https (see the file comment for what it does and does not do). */
export const httpFetch: Fetch = async (url, init = {}) => {
  let u = new URL(String(url));
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v;
  for (let hops = 0; ; hops++) {
    const res = await once1(u, init, headers, method, body);
    const status = res.statusCode ?? 0;
    const loc = res.headers.location;
    if (init.redirect === 'manual' || ![301, 302, 303, 307, 308].includes(status) || !loc) return toResponse(res, u.toString());
    res.resume();
    if (hops >= 20) throw new TypeError(`too many redirects (last: ${u})`);
    const next = new URL(loc, u);
    if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
      delete headers['content-length'];
      delete headers['content-type'];
    } else if (isStream(body)) throw new TypeError(`redirect (${status}) of a streamed request body to ${next}`);
    if (next.origin !== u.origin) delete headers.authorization;
    u = next;
  }
};

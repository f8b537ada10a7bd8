// Routes of the Engine API: `add(method, pattern, handler)` where the pattern is an api/endpoints
// path (`/containers/{id}/json`, `{name*}` spans slashes). Requests may carry a `/v1.xx` prefix;
// unknown routes and methods are Docker's 404 "page not found".
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { endpoint, type EndpointName, type HttpMethod } from '../api/endpoints.ts';
import type { Query } from './query.ts';
import type { Reply } from './reply.ts';

export interface RequestContext {
  method: string;
  /** The path without its version prefix, decoded parameters in `params`. */
  path: string;
  params: Record<string, string>;
  query: Query;
  /** The version from the `/v1.xx` prefix, or the newest served when there is none. */
  apiVersion: string;
  headers: IncomingHttpHeaders;
  /** The raw request body. */
  body: Readable;
  /** The body as JSON (Docker's ReadJSON): undefined when empty; 400 on bad JSON or Content-Type. */
  json<T = unknown>(): Promise<T | undefined>;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** Whether the client asked to upgrade the connection (attach, exec start). */
  upgrade: boolean;
}

export type Handler = (ctx: RequestContext) => Promise<Reply | unknown> | Reply | unknown;

interface Route { method: string; pattern: string; regex: RegExp; keys: string[]; literal: boolean; handler: Handler }

export interface RouteMatch { handler: Handler; params: Record<string, string>; pattern: string }

const VERSION_PREFIX = /^\/v([0-9.]+)(\/.*)$/;

/** Splits `/v1.41/containers/json` into its version and path (no prefix → version undefined). */
export function splitVersion(rawPath: string): { version?: string; path: string } {
  const m = VERSION_PREFIX.exec(rawPath);
  return m ? { version: m[1], path: m[2] } : { path: rawPath };
}

function compile(pattern: string): { regex: RegExp; keys: string[] } {
  const keys: string[] = [];
  const src = pattern.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)(\*?)\}/g, (_, k: string, star: string) => {
    keys.push(k);
    return star ? '(.+)' : '([^/]+)';
  });
  return { regex: new RegExp(`^${src}$`), keys };
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: HttpMethod | string, pattern: string, handler: Handler): this {
    if (this.routes.some((r) => r.method === method && r.pattern === pattern)) {
      throw new Error(`route ${method} ${pattern} is registered twice`);
    }
    const { regex, keys } = compile(pattern);
    this.routes.push({ method, pattern, regex, keys, literal: keys.length === 0, handler });
    return this;
  }

  /** Registers a handler under an api/endpoints descriptor. */
  addEndpoint(name: EndpointName, handler: Handler): this {
    const ep = endpoint(name);
    return this.add(ep.method, ep.path, handler);
  }

  /** Literal routes win over patterns; otherwise the first registered. */
  match(method: string, path: string): RouteMatch | undefined {
    let found: RouteMatch | undefined;
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
      } catch {
        continue; // malformed %-escape: not this route
      }
      if (r.literal) return { handler: r.handler, params, pattern: r.pattern };
      found ??= { handler: r.handler, params, pattern: r.pattern };
    }
    return found;
  }

  list(): { method: string; pattern: string }[] {
    return this.routes.map((r) => ({ method: r.method, pattern: r.pattern }));
  }
}

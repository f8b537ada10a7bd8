// @pure
// Maps a request path to a registry route. Repository names contain slashes, so the route is
// found from the end of the path (`/v2/<name>/manifests/<ref>` etc.). Names are validated here:
// a path that names an invalid repository is a NAME_INVALID route, never a filesystem lookup.
import { isValidName } from './reference.ts';

export type Route =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; id: string }
  | { kind: 'tags'; name: string }
  | { kind: 'referrers'; name: string; digest: string }
  | { kind: 'invalid-name'; name: string }
  | { kind: 'not-found' };

const PATTERNS: [RegExp, (name: string, m: RegExpExecArray) => Route][] = [
  [/^\/v2\/(.+)\/manifests\/([^/]+)$/, (name, m) => ({ kind: 'manifest', name, reference: m[2] })],
  [/^\/v2\/(.+)\/blobs\/uploads\/?$/, (name) => ({ kind: 'uploads', name })],
  [/^\/v2\/(.+)\/blobs\/uploads\/([^/]+)$/, (name, m) => ({ kind: 'upload', name, id: m[2] })],
  [/^\/v2\/(.+)\/blobs\/([^/]+)$/, (name, m) => ({ kind: 'blob', name, digest: m[2] })],
  [/^\/v2\/(.+)\/tags\/list$/, (name) => ({ kind: 'tags', name })],
  [/^\/v2\/(.+)\/referrers\/([^/]+)$/, (name, m) => ({ kind: 'referrers', name, digest: m[2] })],
];

/** `pathname` is the raw (still percent-encoded) path of the request URL. */
export function matchRoute(pathname: string): Route {
  if (pathname === '/v2' || pathname === '/v2/') return { kind: 'base' };
  if (pathname === '/v2/_catalog') return { kind: 'catalog' };
  for (const [re, make] of PATTERNS) {
    const m = re.exec(pathname);
    if (!m) continue;
    let name: string;
    try {
      name = decodeURIComponent(m[1]);
    } catch {
      return { kind: 'invalid-name', name: m[1] };
    }
    if (!isValidName(name)) return { kind: 'invalid-name', name };
    const route = make(name, m);
    try {
      if (route.kind === 'manifest') route.reference = decodeURIComponent(route.reference);
      if (route.kind === 'blob' || route.kind === 'referrers') route.digest = decodeURIComponent(route.digest);
    } catch {
      return { kind: 'not-found' };
    }
    return route;
  }
  return { kind: 'not-found' };
}

/** Route kind used as a low-cardinality label in logs and metrics. */
export function routeLabel(r: Route): string {
  return r.kind;
}

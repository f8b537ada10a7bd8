// @pure
// Docker token-auth scopes (`repository:name:pull,push`) and which access each request needs.
import type { Route } from './routes.ts';

export type Action = 'pull' | 'push' | 'delete' | '*';

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** Parses space-separated scope strings (possibly several `scope=` parameters). */
export function parseScopes(scopes: string[]): Access[] {
  const out: Access[] = [];
  for (const s of scopes.flatMap((x) => x.split(' ')).filter(Boolean)) {
    const first = s.indexOf(':');
    const last = s.lastIndexOf(':');
    if (first < 0 || first === last) continue;
    out.push({ type: s.slice(0, first), name: s.slice(first + 1, last), actions: s.slice(last + 1).split(',').filter(Boolean) });
  }
  return out;
}

export function formatScope(a: Access): string {
  return `${a.type}:${a.name}:${a.actions.join(',')}`;
}

/** The access a request needs, or undefined for the base endpoint (authentication only). */
export function requiredAccess(route: Route, method: string, mountFrom?: string): Access[] | undefined {
  const repo = (name: string, action: string): Access => ({ type: 'repository', name, actions: [action] });
  switch (route.kind) {
    case 'catalog': return [{ type: 'registry', name: 'catalog', actions: ['*'] }];
    case 'manifest':
    case 'blob':
      if (method === 'GET' || method === 'HEAD') return [repo(route.name, 'pull')];
      if (method === 'DELETE') return [repo(route.name, 'delete')];
      return [repo(route.name, 'push')];
    case 'uploads': {
      const need = [{ type: 'repository', name: route.name, actions: ['pull', 'push'] }];
      if (mountFrom) need.push(repo(mountFrom, 'pull'));
      return need;
    }
    case 'upload': return [{ type: 'repository', name: route.name, actions: ['pull', 'push'] }];
    case 'tags':
    case 'referrers': return [repo(route.name, 'pull')];
    default: return undefined;
  }
}

/** Whether `granted` covers every action of every access in `needed` (`*` covers all). */
export function covers(granted: Access[], needed: Access[]): boolean {
  return needed.every((n) =>
    n.actions.every((act) =>
      granted.some((g) => g.type === n.type && g.name === n.name && (g.actions.includes(act) || g.actions.includes('*'))),
    ),
  );
}

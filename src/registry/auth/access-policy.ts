// @pure
// Which of the requested accesses an account gets. Rules name an account (`*` = any
// authenticated one, `anonymous`), a repository (exact, or a prefix ending in `*`) and actions;
// without rules an authenticated account may do everything and anonymous nothing.
import type { Access } from '../protocol/scope.ts';

export interface Rule {
  account: string;
  repository: string;
  actions: string[];
}

function matchRepo(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

function matchAccount(pattern: string, account: string | undefined): boolean {
  if (account === undefined) return pattern === 'anonymous';
  return pattern === '*' || pattern === account;
}

const ALL = ['pull', 'push', 'delete', '*'];

/** The granted subset of `requested` (an access with no granted actions is dropped). */
export function grant(account: string | undefined, requested: Access[], rules: Rule[] | undefined): Access[] {
  const effective: Rule[] = rules ?? [{ account: '*', repository: '*', actions: ['*'] }];
  const out: Access[] = [];
  for (const req of requested) {
    const allowed = new Set<string>();
    for (const r of effective) {
      if (!matchAccount(r.account, account)) continue;
      if (req.type === 'repository' && !matchRepo(r.repository, req.name)) continue;
      if (req.type === 'registry' && r.repository !== '*') continue;
      for (const a of r.actions) (a === '*' ? ALL : [a]).forEach((x) => allowed.add(x));
    }
    const actions = req.actions.filter((a) => allowed.has(a) || (a === '*' && ['pull', 'push', 'delete'].every((x) => allowed.has(x))));
    if (actions.length) out.push({ type: req.type, name: req.name, actions });
  }
  return out;
}

// @pure
// A small parser for runc-style command lines: global flags, a command, its flags
// (--flag value, --flag=value, -f value, boolean flags) and positional arguments.
import { invalidArgument } from '../../errors/errors.ts';

export interface FlagSpec { [name: string]: { alias?: string; bool?: boolean; multi?: boolean } }

export interface Parsed { flags: Record<string, string | boolean | string[]>; args: string[] }

export function parseArgs(argv: readonly string[], spec: FlagSpec, stopAtPositional = false): Parsed {
  const flags: Parsed['flags'] = {};
  const args: string[] = [];
  const byAlias = new Map<string, string>();
  for (const [name, s] of Object.entries(spec)) if (s.alias) byAlias.set(s.alias, name);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { args.push(...argv.slice(i + 1)); break; }
    if (!a.startsWith('-') || a === '-') {
      // Like runc (urfave/cli), flags end at the first positional argument when asked to.
      if (stopAtPositional) { args.push(...argv.slice(i)); break; }
      args.push(a);
      continue;
    }
    const long = a.startsWith('--');
    const eq = a.indexOf('=');
    const rawName = long ? a.slice(2, eq > 0 ? eq : undefined) : a.slice(1, eq > 0 ? eq : undefined);
    const name = long ? rawName : (byAlias.get(rawName) ?? rawName);
    const s = spec[name];
    if (!s) throw invalidArgument(`flag provided but not defined: ${a.slice(0, eq > 0 ? eq : undefined)}`);
    let value: string | boolean;
    if (s.bool) value = eq > 0 ? a.slice(eq + 1) !== 'false' : true;
    else if (eq > 0) value = a.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw invalidArgument(`flag needs an argument: ${a}`);
      value = argv[++i];
    }
    if (s.multi) ((flags[name] ??= []) as string[]).push(value as string);
    else flags[name] = value;
  }
  return { flags, args };
}

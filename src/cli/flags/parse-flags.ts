// @pure
// Docker's flag conventions (spf13/pflag as the docker CLI uses it): bundled short flags
// (-it, -p80:80), repeated flags, --flag=value, --bool=false, `--` ends flags, and for commands
// like run/exec flags stop at the first positional argument (the image or container).
import { invalidArgument } from '../../errors/errors.ts';

export type FlagKind = 'bool' | 'string' | 'list' | 'int';

export interface FlagDef { name: string; short?: string; kind: FlagKind; default?: string | boolean | number; help?: string }

export type FlagValues = Record<string, string | boolean | number | string[]>;

export interface ParsedCommand { flags: FlagValues; args: string[] }

const BOOL_WORDS: Record<string, boolean> = { true: true, '1': true, t: true, T: true, TRUE: true, True: true, false: false, '0': false, f: false, F: false, FALSE: false, False: false };

export function parseFlags(argv: readonly string[], defs: readonly FlagDef[], opts: { interspersed?: boolean } = {}): ParsedCommand {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const byShort = new Map(defs.filter((d) => d.short).map((d) => [d.short!, d]));
  const flags: FlagValues = {};
  for (const d of defs) if (d.default !== undefined) flags[d.name] = d.default;
  for (const d of defs) if (d.kind === 'list') flags[d.name] = [];
  const args: string[] = [];
  const interspersed = opts.interspersed ?? true;

  const set = (d: FlagDef, raw: string, shown: string) => {
    if (d.kind === 'bool') {
      const b = BOOL_WORDS[raw];
      if (b === undefined) throw invalidArgument(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
      flags[d.name] = b;
    } else if (d.kind === 'int') {
      if (!/^-?\d+$/.test(raw)) throw invalidArgument(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
      flags[d.name] = Number(raw);
    } else if (d.kind === 'list') (flags[d.name] as string[]).push(raw);
    else flags[d.name] = raw;
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { args.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq > 0 ? eq : undefined);
      const d = byName.get(name);
      if (!d) throw invalidArgument(`unknown flag: --${name}`);
      if (eq > 0) set(d, a.slice(eq + 1), `--${name}`);
      else if (d.kind === 'bool') flags[d.name] = true;
      else if (i + 1 < argv.length) set(d, argv[++i], `--${name}`);
      else throw invalidArgument(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // Bundled shorthands: -it, -p8080:80, -e=X
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const d = byShort.get(c);
        if (!d) throw invalidArgument(`unknown shorthand flag: '${c}' in ${a}`);
        if (d.kind === 'bool') {
          if (a[j + 1] === '=') { set(d, a.slice(j + 2), `-${c}`); break; }
          flags[d.name] = true;
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest) set(d, rest.startsWith('=') ? rest.slice(1) : rest, `-${c}`);
        else if (i + 1 < argv.length) set(d, argv[++i], `-${c}`);
        else throw invalidArgument(`flag needs an argument: '${c}' in -${c}`);
        break;
      }
      continue;
    }
    if (!interspersed) { args.push(...argv.slice(i)); break; }
    args.push(a);
  }
  return { flags, args };
}

// The berth CLI without the process: global flags (-H, --config, -D, TLS, --version), command
// lookup (top-level and management groups), per-command flags and argument counts, the client,
// and the error → message + exit status map (Docker's: 125 flag errors, 1 otherwise, or the
// status a command asks for).
import { join } from 'node:path';
import { EngineClient } from '../client/engine-client.ts';
import { BerthError } from '../errors/errors.ts';
import { argCountError, flagError, isDaemonError, StatusError } from './cli-error.ts';
import { clientBuild } from './build-info.ts';
import type { CliContext, CliIo, Command, RegistryRunner, SignalName } from './command.ts';
import { GROUPS, SECTIONS, TOP } from './command-table.ts';
import { defaultConfigDir } from './config-file.ts';
import { parseFlags, type FlagDef } from './flags/parse-flags.ts';
import { commandHelp, groupHelp, mainHelp } from './help.ts';

export interface CliHost {
  io: CliIo;
  onSignal(sig: SignalName, fn: () => void): () => void;
  registry?: RegistryRunner;
}

const GLOBAL: FlagDef[] = [
  { name: 'host', short: 'H', kind: 'list' }, { name: 'config', kind: 'string' }, { name: 'context', short: 'c', kind: 'string' },
  { name: 'debug', short: 'D', kind: 'bool' }, { name: 'log-level', short: 'l', kind: 'string' },
  { name: 'tls', kind: 'bool' }, { name: 'tlsverify', kind: 'bool' }, { name: 'tlscacert', kind: 'string' },
  { name: 'tlscert', kind: 'string' }, { name: 'tlskey', kind: 'string' },
  { name: 'version', short: 'v', kind: 'bool' }, { name: 'help', short: 'h', kind: 'bool' },
];

const HELP: FlagDef = { name: 'help', kind: 'bool' };

function resolve(args: string[]): { cmd: Command; path: string; rest: string[] } | { group: string; path: string } | undefined {
  const [name, ...rest] = args;
  const g = GROUPS[name];
  if (g) {
    const sub = rest[0];
    if (!sub || sub.startsWith('-')) return { group: name, path: `berth ${name}` };
    const cmd = g.commands.find((c) => c.name === sub || c.aliases?.includes(sub));
    if (!cmd) return undefined;
    return { cmd, path: `berth ${name} ${cmd.name}`, rest: rest.slice(1) };
  }
  const cmd = TOP[name];
  return cmd ? { cmd, path: `berth ${name}`, rest } : undefined;
}

export async function runCli(argv: string[], host: CliHost): Promise<number> {
  const { io } = host;
  const write = (s: string) => { io.stdout.write(s); };
  const fail = (s: string) => { io.stderr.write(s.endsWith('\n') ? s : `${s}\n`); };
  try {
    let g;
    try {
      g = parseFlags(argv, GLOBAL, { interspersed: false });
    } catch (err) {
      throw flagError('berth', '[OPTIONS] COMMAND [ARG...]', (err as Error).message);
    }
    if (g.flags.version) {
      const b = clientBuild();
      write(`berth version ${b.version}, build ${b.gitCommit}\n`);
      return 0;
    }
    const sections = SECTIONS;
    if (!g.args.length || (g.args[0] === 'help' && g.args.length === 1)) {
      write(mainHelp(sections, Object.entries(GROUPS).map(([n, x]) => [n, x.summary])));
      return 0;
    }
    const r = resolve(g.args);
    if (!r) {
      const what = GROUPS[g.args[0]] ? `berth ${g.args[0]} ${g.args[1]}` : `berth ${g.args[0]}`;
      throw new StatusError(1, `berth: unknown command: ${what}\n\nRun '${what.split(' ').slice(0, -1).join(' ')} --help' for more information`);
    }
    if ('group' in r) {
      write(groupHelp(r.path, GROUPS[r.group].summary, GROUPS[r.group].commands));
      return 0;
    }
    const { cmd, path } = r;
    let parsed;
    if (cmd.rawArgs) parsed = { flags: {}, args: r.rest };
    else try {
      parsed = parseFlags(r.rest, [...cmd.flags, HELP], { interspersed: cmd.interspersed ?? true });
    } catch (err) {
      throw flagError(path, cmd.usage, (err as Error).message);
    }
    if (parsed.flags.help) { write(commandHelp(path, cmd)); return 0; }
    const n = parsed.args.length;
    const { min, max } = cmd.args ?? {};
    if (min !== undefined && max === min && n !== min) throw argCountError(path, cmd.usage, `requires ${min === 1 ? '1 argument' : `exactly ${min} arguments`}`);
    if (min !== undefined && n < min) throw argCountError(path, cmd.usage, `requires at least ${min} ${min === 1 ? 'argument' : 'arguments'}`);
    if (max !== undefined && n > max) throw argCountError(path, cmd.usage, max === 0 ? 'accepts no arguments' : `requires at most ${max} ${max === 1 ? 'argument' : 'arguments'}`);

    const env = io.env;
    const hosts = g.flags.host as string[];
    const tlsverify = g.flags.tlsverify === true || (env.DOCKER_TLS_VERIFY ?? '') !== '';
    const certPath = env.DOCKER_CERT_PATH || join(defaultConfigDir(env), '');
    const useTls = tlsverify || g.flags.tls === true;
    const client = new EngineClient({
      host: hosts.at(-1) ?? env.DOCKER_HOST ?? env.BERTH_HOST,
      version: env.DOCKER_API_VERSION || undefined,
      tls: useTls ? {
        verify: tlsverify,
        ca: (g.flags.tlscacert as string | undefined) ?? (tlsverify ? join(certPath, 'ca.pem') : undefined),
        cert: (g.flags.tlscert as string | undefined) ?? join(certPath, 'cert.pem'),
        key: (g.flags.tlskey as string | undefined) ?? join(certPath, 'key.pem'),
      } : undefined,
    });
    const ctx: CliContext = {
      io, client, debug: g.flags.debug === true,
      configDir: (g.flags.config as string | undefined) || defaultConfigDir(env),
      out: write, err: (s) => { io.stderr.write(s); }, onSignal: host.onSignal, registry: host.registry,
    };
    try {
      return (await cmd.run(ctx, parsed.flags, parsed.args)) ?? 0;
    } finally {
      client.close();
    }
  } catch (err) {
    if (err instanceof StatusError) {
      if (err.message) fail(err.message);
      return err.status;
    }
    if (isDaemonError(err)) { fail(`Error response from daemon: ${(err as Error).message}`); return 1; }
    if (err instanceof BerthError) { fail(err.message); return 1; }
    fail(`berth: ${(err as Error)?.stack ?? String(err)}`);
    return 1;
  }
}

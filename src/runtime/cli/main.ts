// berth-runtime: runc's command line over the berth runtime. The only file here that
// prints or exits.
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Runtime } from '../runtime.ts';
import { helperPath } from '../../native/helper-path.ts';
import { defaultSpec } from '../spec/default-spec.ts';
import { parseArgs, type FlagSpec } from './args.ts';
import { BerthError, invalidArgument } from '../../errors/errors.ts';
import { execProcessFrom } from './exec-args.ts';

const VERSION = '0.1.0';
const GLOBAL: FlagSpec = {
  root: {}, log: {}, 'log-format': {}, debug: { bool: true }, 'systemd-cgroup': { bool: true },
  help: { alias: 'h', bool: true }, version: { alias: 'v', bool: true }, rootless: {},
};
const COMMANDS: Record<string, FlagSpec> = {
  create: { bundle: { alias: 'b' }, 'console-socket': {}, 'pid-file': {}, 'no-pivot': { bool: true }, 'no-new-keyring': { bool: true }, 'preserve-fds': {}, init: { bool: true } },
  run: { bundle: { alias: 'b' }, 'console-socket': {}, 'pid-file': {}, detach: { alias: 'd', bool: true }, keep: { bool: true }, 'no-pivot': { bool: true }, 'no-new-keyring': { bool: true }, 'preserve-fds': {}, init: { bool: true } },
  start: {}, state: {}, pause: {}, resume: {}, list: { format: { alias: 'f' }, quiet: { alias: 'q', bool: true } },
  kill: { all: { alias: 'a', bool: true } },
  delete: { force: { alias: 'f', bool: true } },
  ps: { format: { alias: 'f' } },
  exec: {
    'console-socket': {}, cwd: {}, env: { alias: 'e', multi: true }, tty: { alias: 't', bool: true }, user: { alias: 'u' },
    'additional-gids': { alias: 'g', multi: true }, process: { alias: 'p' }, detach: { alias: 'd', bool: true },
    'pid-file': {}, cap: { alias: 'c', multi: true }, 'no-new-privs': { bool: true }, 'preserve-fds': {},
  },
  spec: { bundle: { alias: 'b' }, rootless: { bool: true } },
};

const USAGE = `usage: berth-runtime [--root DIR] COMMAND [OPTIONS] CONTAINER-ID
commands: create, start, run, state, kill, delete, exec, ps, pause, resume, list, spec`;

function need(args: string[], n: number, what: string): void {
  if (args.length < n) throw invalidArgument(`"${what}" requires ${n === 1 ? 'exactly 1 argument' : `at least ${n} arguments`}`);
}

async function main(argv: string[]): Promise<number> {
  const g = parseArgs(argv, GLOBAL, true);
  if (g.flags.version) { console.log(`berth-runtime version ${VERSION}\nspec: 1.2.0`); return 0; }
  const [cmd, ...rest] = g.args;
  if (!cmd || g.flags.help) { console.log(USAGE); return cmd ? 0 : 1; }
  const spec = COMMANDS[cmd];
  if (!spec) throw invalidArgument(`unknown command ${JSON.stringify(cmd)}\n${USAGE}`);
  const { flags, args } = parseArgs(rest, spec, true);
  const str = (k: string) => flags[k] as string | undefined;
  const rt = new Runtime({
    root: (g.flags.root as string | undefined) ?? '/run/berth-runtime',
    helperPath: helperPath(),
    warn: (m) => process.stderr.write(`berth-runtime: warning: ${m}\n`),
  });
  const id = args[0];
  switch (cmd) {
    case 'spec': {
      const dir = str('bundle') ?? '.';
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.json'), `${JSON.stringify(defaultSpec(), null, '\t')}\n`, { flag: 'wx' });
      return 0;
    }
    case 'create':
      need(args, 1, cmd);
      await rt.create({ id, bundle: str('bundle') ?? '.', consoleSocket: str('console-socket'), pidFile: str('pid-file'), init: flags.init === true });
      return 0;
    case 'run': {
      need(args, 1, cmd);
      const req = { id, bundle: str('bundle') ?? '.', consoleSocket: str('console-socket'), pidFile: str('pid-file'), init: flags.init === true };
      if (flags.detach) { await rt.create(req); await rt.start(id); return 0; }
      const forward = (s: NodeJS.Signals) => rt.kill(id, s).catch(() => {});
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const) process.on(s, forward);
      const { exitCode } = await rt.run(req, { keep: flags.keep === true });
      return exitCode;
    }
    case 'start': need(args, 1, cmd); await rt.start(id); return 0;
    case 'state': need(args, 1, cmd); console.log(JSON.stringify(await rt.state(id), null, '  ')); return 0;
    case 'kill': need(args, 1, cmd); await rt.kill(id, args[1] ?? 'SIGTERM', flags.all === true); return 0;
    case 'delete': need(args, 1, cmd); await rt.delete(id, flags.force === true); return 0;
    case 'pause': need(args, 1, cmd); await rt.pause(id); return 0;
    case 'resume': need(args, 1, cmd); await rt.resume(id); return 0;
    case 'ps': {
      need(args, 1, cmd);
      const pids = await rt.ps(id);
      if (str('format') === 'json') console.log(JSON.stringify(pids));
      else {
        console.log('PID\tCMD');
        for (const pid of pids) {
          let cmdline = '';
          try { cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim(); } catch { /* exited */ }
          console.log(`${pid}\t${cmdline}`);
        }
      }
      return 0;
    }
    case 'list': {
      const rows = await Promise.all((await rt.list()).map(async (cid) => rt.state(cid).catch(() => undefined)));
      const states = rows.filter((r) => r !== undefined);
      if (str('format') === 'json') console.log(JSON.stringify(states));
      else if (flags.quiet) for (const s of states) console.log(s.id);
      else {
        console.log('ID\tPID\tSTATUS\tBUNDLE\tCREATED');
        for (const s of states) console.log(`${s.id}\t${s.pid}\t${s.status}\t${s.bundle}\t${s.created}`);
      }
      return 0;
    }
    case 'exec': {
      need(args, 1, cmd);
      const processFile = str('process');
      const proc = execProcessFrom(flags, args.slice(1), processFile ? readFileSync(processFile, 'utf8') : undefined);
      const helper = await rt.exec({
        id, process: proc, consoleSocket: str('console-socket'), pidFile: str('pid-file'), detach: flags.detach === true,
        extraEnv: flags.env as string[] | undefined, addCaps: flags.cap as string[] | undefined,
      });
      if (flags.detach) return 0;
      return (await helper.exited).exitCode;
    }
  }
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const msg = err instanceof BerthError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`berth-runtime: ${msg}\n`);
    process.exitCode = 1;
  },
);

// @pure
// `berth --help` and `berth <cmd> --help` in the docker CLI's layout.
import type { FlagDef } from './flags/parse-flags.ts';
import type { Command } from './command.ts';

export interface HelpSection { title: string; commands: Command[] }

function flagLine(d: FlagDef): [string, string] {
  const short = d.short ? `-${d.short}, ` : '    ';
  const type = d.kind === 'bool' ? '' : d.kind === 'list' ? ' list' : d.kind === 'int' ? ' int' : ' string';
  return [`  ${short}--${d.name}${type}`, d.help ?? ''];
}

function columns(rows: [string, string][]): string {
  const w = Math.max(0, ...rows.map((r) => r[0].length));
  return rows.map(([a, b]) => (b ? `${a.padEnd(w)}   ${b}` : a)).join('\n');
}

export function commandHelp(path: string, cmd: Command): string {
  const flags = cmd.flags.map(flagLine);
  flags.push(['      --help', 'Print usage']);
  let s = `\nUsage:  ${path} ${cmd.usage}\n\n${cmd.summary}\n`;
  if (cmd.aliases?.length) s += `\nAliases:\n  ${cmd.aliases.join(', ')}\n`;
  s += `\nOptions:\n${columns(flags)}\n`;
  return s;
}

export function groupHelp(path: string, summary: string, commands: Command[]): string {
  const rows = commands.map((c): [string, string] => [`  ${c.name}`, c.summary]);
  return `\nUsage:  ${path} COMMAND\n\n${summary}\n\nCommands:\n${columns(rows)}\n\nRun '${path} COMMAND --help' for more information on a command.\n`;
}

export function mainHelp(sections: HelpSection[], groups: [string, string][]): string {
  let s = '\nUsage:  berth [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers (Docker-compatible)\n';
  for (const sec of sections) s += `\n${sec.title}:\n${columns(sec.commands.map((c) => [`  ${c.name}`, c.summary]))}\n`;
  s += `\nManagement Commands:\n${columns(groups.map(([n, d]) => [`  ${n}`, d]))}\n`;
  s += `\nGlobal Options:\n${columns([
    ['      --config string', 'Location of client config files (default "~/.docker")'],
    ['  -D, --debug', 'Enable debug mode'],
    ['  -H, --host list', 'Daemon socket to connect to'],
    ['  -l, --log-level string', 'Set the logging level ("debug", "info", "warn", "error", "fatal") (default "info")'],
    ['      --tls', 'Use TLS; implied by --tlsverify'],
    ['      --tlscacert string', 'Trust certs signed only by this CA'],
    ['      --tlscert string', 'Path to TLS certificate file'],
    ['      --tlskey string', 'Path to TLS key file'],
    ['      --tlsverify', 'Use TLS and verify the remote'],
    ['  -v, --version', 'Print version information and quit'],
  ])}\n\nRun 'berth COMMAND --help' for more information on a command.\n`;
  return s;
}

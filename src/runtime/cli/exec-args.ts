// @pure
// `berth-runtime exec` flags (or a --process JSON file's content) → the process to start.
import { invalidArgument } from '../../errors/errors.ts';
import type { Process } from '../spec/types.ts';

export function execProcessFrom(flags: Record<string, string | boolean | string[]>, args: string[], processJson?: string): Partial<Process> & { args: string[] } {
  if (processJson !== undefined) {
    const p = JSON.parse(processJson) as Process;
    if (!Array.isArray(p.args) || !p.args.length) throw invalidArgument('process.args must not be empty');
    return p;
  }
  if (!args.length) throw invalidArgument('exec: a command is required');
  const proc: Partial<Process> & { args: string[] } = { args };
  if (flags.tty) proc.terminal = true;
  if (typeof flags.cwd === 'string') proc.cwd = flags.cwd;
  if (typeof flags.user === 'string') {
    const [u, g] = flags.user.split(':');
    if (!/^\d+$/.test(u) || (g !== undefined && !/^\d+$/.test(g))) throw invalidArgument(`invalid --user ${JSON.stringify(flags.user)}: want UID[:GID]`);
    proc.user = { uid: Number(u), gid: Number(g ?? 0), additionalGids: ((flags['additional-gids'] as string[] | undefined) ?? []).map(Number) };
  }
  if (flags['no-new-privs']) proc.noNewPrivileges = true;
  return proc;
}

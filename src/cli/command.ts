// What a berth command is: its flags (Docker's names), usage line, argument counts and a run
// function over a CliContext. Commands print through the context and return an exit status;
// only main.ts touches the process.
import type { Readable, Writable } from 'node:stream';
import type { EngineClient } from '../client/engine-client.ts';
import type { FlagDef, FlagValues } from './flags/parse-flags.ts';

export interface TtyIn extends Readable { isTTY?: boolean; setRawMode?(raw: boolean): unknown }
export interface TtyOut extends Writable { isTTY?: boolean; columns?: number; rows?: number }

export interface CliIo {
  stdin: TtyIn;
  stdout: TtyOut;
  stderr: TtyOut;
  env: Record<string, string | undefined>;
}

export type SignalName = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGQUIT' | 'SIGUSR1' | 'SIGUSR2' | 'SIGWINCH';

export interface CliContext {
  io: CliIo;
  client: EngineClient;
  /** The docker-style config directory (~/.docker, DOCKER_CONFIG, --config). */
  configDir: string;
  debug: boolean;
  out(text: string): void;
  err(text: string): void;
  /** Subscribes to a process signal; returns the unsubscribe function. */
  onSignal(sig: SignalName, fn: () => void): () => void;
  /** `berth registry …`, wired by the composition root (main.ts). */
  registry?: RegistryRunner;
}

export interface RegistryIo { out(line: string): void; err(line: string): void; signal?: AbortSignal }
export type RegistryRunner = (argv: string[], io: RegistryIo) => Promise<number>;

export interface Command {
  name: string;
  /** `berth <path> <usage>`: "[OPTIONS] CONTAINER [CONTAINER...]". */
  usage: string;
  summary: string;
  aliases?: string[];
  flags: FlagDef[];
  /** false: flags stop at the first positional argument (run, exec). */
  interspersed?: boolean;
  /** Arguments passed through unparsed (commands with their own parser, e.g. registry). */
  rawArgs?: boolean;
  args?: { min?: number; max?: number };
  run(ctx: CliContext, flags: FlagValues, args: string[]): Promise<number | void>;
}

export const str = (f: FlagValues, k: string): string => (f[k] as string | undefined) ?? '';
export const bool = (f: FlagValues, k: string): boolean => f[k] === true;
export const list = (f: FlagValues, k: string): string[] => (f[k] as string[] | undefined) ?? [];
export const int = (f: FlagValues, k: string): number | undefined => (f[k] as number | undefined);

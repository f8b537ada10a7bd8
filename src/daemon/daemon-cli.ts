// berthd's command line: flags and daemon.json → options, start, stop on SIGTERM/SIGINT.
// Output goes through injected sinks so main.ts alone touches the process.
import { readFileSync } from 'node:fs';
import { BerthError, invalidArgument } from '../errors/errors.ts';
import { createLogger } from './logger.ts';
import { DAEMON_FLAGS, DEFAULT_CONFIG_FILE, mergeConfigFile, parseDaemonArgs, resolveOptions, type DaemonOptions } from './options.ts';
import { startDaemon, type BuildInfo, type RegisterRoutes, type RunningDaemon } from './start-daemon.ts';

export interface DaemonCliIo {
  out(text: string): void;
  err(text: string): void;
  /** Registers a handler for a termination signal. */
  onSignal(signal: 'SIGTERM' | 'SIGINT', fn: () => void): void;
  /** Called once the daemon is up (tests, readiness notification). */
  onReady?(d: RunningDaemon): void;
}

const USAGE = `Usage:\tberthd [OPTIONS]

A self-sufficient runtime for containers, serving the Docker Engine API.

Options:
${DAEMON_FLAGS.map((f) => `  ${f.short ? `-${f.short}, ` : '    '}--${f.name}`).join('\n')}
`;

function readConfigFile(path: string, explicit: boolean): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw invalidArgument(`unable to configure the berth daemon with file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw invalidArgument(`unable to configure the berth daemon with file ${path}: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidArgument(`unable to configure the berth daemon with file ${path}: expected a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Options from argv and the config file it names (or the default one, when present). */
export function loadDaemonOptions(argv: readonly string[]): DaemonOptions {
  const flags = parseDaemonArgs(argv);
  const explicit = typeof flags['config-file'] === 'string';
  const path = (flags['config-file'] as string | undefined) ?? DEFAULT_CONFIG_FILE;
  const merged = flags.help || flags.version ? flags : mergeConfigFile(flags, readConfigFile(path, explicit), path);
  return resolveOptions(merged, path, explicit);
}

/** Runs berthd until a signal stops it; resolves to the exit code. */
export async function runDaemonCli(argv: readonly string[], io: DaemonCliIo, build: BuildInfo, registerRoutes?: RegisterRoutes): Promise<number> {
  let options: DaemonOptions;
  try {
    options = loadDaemonOptions(argv);
  } catch (err) {
    io.err(`berthd: ${(err as Error).message}\nSee 'berthd --help'.\n`);
    return 125;
  }
  if (options.showHelp) { io.out(USAGE); return 0; }
  if (options.showVersion) { io.out(`berthd version ${build.version}, build ${build.gitCommit}\n`); return 0; }
  const logger = createLogger(options.logLevel, io.err);
  let daemon: RunningDaemon;
  try {
    logger.info(`Starting up berthd ${build.version}`);
    daemon = await startDaemon(options, logger, build, registerRoutes);
  } catch (err) {
    const msg = err instanceof BerthError || err instanceof Error ? err.message : String(err);
    logger.error(`failed to start daemon: ${msg}`);
    return 1;
  }
  logger.info('Daemon has completed initialization');
  io.onReady?.(daemon);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (sig: string) => {
      if (stopping) { logger.warn(`${sig} again: exiting without cleanup`); resolve(1); return; }
      stopping = true;
      logger.info(`Processing signal '${sig}'`);
      daemon.close().then(
        () => { logger.info('Daemon shutdown complete'); resolve(0); },
        (err: unknown) => { logger.error(`shutdown: ${(err as Error).message}`); resolve(1); },
      );
    };
    io.onSignal('SIGTERM', () => stop('terminated'));
    io.onSignal('SIGINT', () => stop('interrupt'));
  });
}

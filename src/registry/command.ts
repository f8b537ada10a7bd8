// `berth registry serve|gc`: argument parsing and the two commands, with output through `io`
// and no process.exit, so the berth CLI (and tests) can dispatch to it. main.ts is the thin
// process wrapper that wires signals and exit codes.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BerthError } from '../errors/errors.ts';
import { loadConfig, normalizeProxy } from './server/config.ts';
import { RegistryServer, type RunningRegistry } from './server/registry-server.ts';
import { collectGarbage } from './gc/collect.ts';

export interface RegistryCommandIo {
  /** Standard output (request log lines, gc report); one call per line, no newline. */
  out(line: string): void;
  /** Diagnostics (the listening line). */
  err(line: string): void;
  /** `serve` runs until this aborts; without it, until the process ends. */
  signal?: AbortSignal;
  /** Called once `serve` listens (tests learn the port from it). */
  onListening?(running: RunningRegistry): void;
}

export const REGISTRY_USAGE = [
  'usage: berth registry serve --addr HOST:PORT --root DIR [--config FILE] [--proxy-url URL] [--quiet]',
  '       berth registry gc --root DIR [--config FILE] [--dry-run] [--grace SECONDS]',
].join('\n');

export function splitAddr(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  if (i < 0) throw new BerthError('InvalidArgument', `--addr must be HOST:PORT, got ${addr}`);
  const host = addr.slice(0, i).replace(/^\[|\]$/g, '') || '0.0.0.0';
  const text = addr.slice(i + 1);
  const port = Number(text);
  if (text === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new BerthError('InvalidArgument', `bad port in --addr ${addr}`);
  return { host, port };
}

function parse<C extends ParseArgsConfig>(config: C): ReturnType<typeof parseArgs<C>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new BerthError('InvalidArgument', `${err instanceof Error ? err.message : String(err)}\n${REGISTRY_USAGE}`);
  }
}

async function serve(args: string[], io: RegistryCommandIo): Promise<number> {
  const { values } = parse({
    args,
    options: {
    addr: { type: 'string', default: '127.0.0.1:5000' },
    root: { type: 'string' },
    config: { type: 'string' },
    quiet: { type: 'boolean' },
    'proxy-url': { type: 'string' },
  } });
  const config = await loadConfig(values.config as string | undefined, { root: values.root as string | undefined });
  const proxyUrl = values['proxy-url'] as string | undefined;
  // --proxy-url turns the pull-through cache on (or points it elsewhere); credentials and TTL come from the config file.
  if (proxyUrl !== undefined) config.proxy = normalizeProxy({ ...config.proxy, remoteUrl: proxyUrl });
  const { host, port } = splitAddr(values.addr as string);
  const registry = new RegistryServer({
    config,
    log: values.quiet ? undefined : (line) => io.out(line),
  });
  const running = await registry.listen(host, port);
  const mode = config.proxy ? `, pull-through cache of ${config.proxy.remoteUrl ?? 'https://registry-1.docker.io'}` : '';
  io.err(`berth registry listening on ${running.url} (root ${config.root}${mode})`);
  io.onListening?.(running);
  await new Promise<void>((resolve) => {
    if (!io.signal) return; // runs until the process ends
    if (io.signal.aborted) resolve();
    else io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await running.close();
  return 0;
}

async function gc(args: string[], io: RegistryCommandIo): Promise<number> {
  const { values } = parse({
    args,
    options: {
    root: { type: 'string' },
    config: { type: 'string' },
    'dry-run': { type: 'boolean' },
    grace: { type: 'string', default: '600' },
  } });
  const config = await loadConfig(values.config as string | undefined, { root: values.root as string | undefined });
  const grace = Number(values.grace);
  if (!Number.isFinite(grace) || grace < 0) throw new BerthError('InvalidArgument', `--grace must be a number of seconds, got ${values.grace}`);
  const dryRun = (values['dry-run'] as boolean | undefined) ?? false;
  const report = await collectGarbage(config.root, { dryRun, graceMs: grace * 1000, log: (l) => io.out(l) });
  io.out(`${dryRun ? 'would remove' : 'removed'} ${report.removed.length} blob(s), ${report.bytes} bytes; kept ${report.kept}; ${report.uploadsRemoved} stale upload(s)`);
  return 0;
}

/**
 * Runs `berth registry <argv...>`; resolves to the exit code. Errors are thrown as BerthError
 * (InvalidArgument for usage errors) for the caller to print.
 */
export async function runRegistryCommand(argv: string[], io: RegistryCommandIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'serve') return serve(rest, io);
  if (cmd === 'gc') return gc(rest, io);
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(REGISTRY_USAGE);
    return cmd === undefined ? 2 : 0;
  }
  throw new BerthError('InvalidArgument', `unknown registry command ${cmd}\n${REGISTRY_USAGE}`);
}

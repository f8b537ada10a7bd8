// Temporary entry point until `berth registry` exists:
//   node src/registry/main.ts serve --addr 127.0.0.1:5000 --root DIR [--config FILE] [--quiet]
//   node src/registry/main.ts gc --root DIR [--dry-run] [--grace SECONDS]
import { parseArgs } from 'node:util';
import { BerthError } from '../errors/errors.ts';
import { loadConfig } from './server/config.ts';
import { RegistryServer } from './server/registry-server.ts';
import { collectGarbage } from './gc/collect.ts';
import { createUpstream } from './proxy/upstream.ts';

function splitAddr(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  if (i < 0) throw new BerthError('InvalidArgument', `--addr must be HOST:PORT, got ${addr}`);
  const host = addr.slice(0, i).replace(/^\[|\]$/g, '') || '0.0.0.0';
  const port = Number(addr.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BerthError('InvalidArgument', `bad port in --addr ${addr}`);
  return { host, port };
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { addr: { type: 'string', default: '127.0.0.1:5000' }, root: { type: 'string' }, config: { type: 'string' }, quiet: { type: 'boolean' } } });
  const config = await loadConfig(values.config, { root: values.root });
  const { host, port } = splitAddr(values.addr!);
  const registry = new RegistryServer({
    config,
    log: values.quiet ? undefined : (line) => process.stdout.write(line + '\n'),
    upstream: config.proxy ? (s) => createUpstream(config.proxy!, s) : undefined,
  });
  const running = await registry.listen(host, port);
  process.stderr.write(`berth registry listening on ${running.url} (root ${config.root})\n`);
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function gc(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { root: { type: 'string' }, config: { type: 'string' }, 'dry-run': { type: 'boolean' }, grace: { type: 'string', default: '600' } } });
  const config = await loadConfig(values.config, { root: values.root });
  const report = await collectGarbage(config.root, { dryRun: values['dry-run'] ?? false, graceMs: Number(values.grace) * 1000, log: (l) => process.stdout.write(l + '\n') });
  process.stdout.write(`${values['dry-run'] ? 'would remove' : 'removed'} ${report.removed.length} blob(s), ${report.bytes} bytes; kept ${report.kept}; ${report.uploadsRemoved} stale upload(s)\n`);
}

const [cmd, ...rest] = process.argv.slice(2);
try {
  if (cmd === 'serve') await serve(rest);
  else if (cmd === 'gc') await gc(rest);
  else {
    process.stderr.write('usage: main.ts serve --addr HOST:PORT --root DIR [--config FILE] | gc --root DIR [--dry-run] [--grace SECONDS]\n');
    process.exit(2);
  }
} catch (err) {
  process.stderr.write(`berth registry: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

// Standalone entry point until `berth registry` dispatches to runRegistryCommand:
//   node src/registry/main.ts serve --addr 127.0.0.1:5000 --root DIR [--config FILE] [--quiet]
//   node src/registry/main.ts gc --root DIR [--dry-run] [--grace SECONDS]
import { isCode } from '../errors/errors.ts';
import { runRegistryCommand } from './command.ts';

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
try {
  const code = await runRegistryCommand(process.argv.slice(2), {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    signal: stop.signal,
  });
  process.exit(code);
} catch (err) {
  process.stderr.write(`berth registry: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(isCode(err, 'InvalidArgument') ? 2 : 1);
}

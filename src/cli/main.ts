// berth: the Docker-compatible CLI. The process edge: streams, signals, exit status.
import type { SignalName } from './command.ts';
import { runCli } from './run-cli.ts';

const onSignal = (sig: SignalName, fn: () => void): (() => void) => {
  process.on(sig, fn);
  return () => { process.off(sig, fn); };
};

process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); });

const code = await runCli(process.argv.slice(2), {
  io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env },
  onSignal,
  registry: async (argv, io) => (await import('../registry/command.ts')).runRegistryCommand(argv, io),
});
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));

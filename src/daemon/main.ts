// berthd: the Engine API daemon. The composition root's route registration (wire.ts) is passed
// to runDaemonCli as its last argument.
import { readBuildInfo } from './build-info.ts';
import { runDaemonCli } from './daemon-cli.ts';
import { registerEngine } from './wire.ts';

const code = await runDaemonCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  onSignal: (sig, fn) => process.on(sig, fn),
}, readBuildInfo(), registerEngine);
process.exit(code);

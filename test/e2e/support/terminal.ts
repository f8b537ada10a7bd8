// Runs a command on a new terminal, as a user's shell would: Python's pty.spawn, which copies
// `input` in and reads the master until EOF, adding nothing at the end of the input. script(1)
// was used before; under load it lost a command's last line now and then (its drain after the
// child's exit is timed). Exit status: the command's, or 128 + its signal.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

const PY = 'import pty, sys; st = pty.spawn(sys.argv[1:]); sys.exit(st >> 8 if st & 0xff == 0 else 128 + (st & 0x7f))';

export function onTerminal(argv: string[], input: string, env: NodeJS.ProcessEnv, timeout = 30_000): SpawnSyncReturns<string> {
  return spawnSync('python3', ['-c', PY, ...argv], { env, encoding: 'utf8', input, timeout });
}

/** Why terminal tests are skipped here, or false. */
export const noTerminal: string | false = spawnSync('python3', ['-c', 'import pty']).status === 0 ? false : 'no python3';

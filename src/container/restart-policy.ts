// @pure
// Whether a container that exited starts again, and after how long (Docker: 100 ms doubling,
// capped at a minute). A manual stop or kill suspends every policy.
import type { RestartPolicy } from './docker-types.ts';

export function restartDecision(policy: RestartPolicy | undefined, exitCode: number, restartCount: number, manuallyStopped: boolean): { restart: boolean; delayMs: number } {
  const name = policy?.Name ?? 'no';
  const max = policy?.MaximumRetryCount ?? 0;
  const restart = !manuallyStopped && (name === 'always' || name === 'unless-stopped'
    || (name === 'on-failure' && exitCode !== 0 && (max === 0 || restartCount < max)));
  return { restart, delayMs: Math.min(100 * 2 ** Math.min(restartCount + 1, 10), 60_000) };
}

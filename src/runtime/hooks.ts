// Runs OCI hooks: the program at `path` with `args` and `env`, the container's state JSON on
// its stdin, killed after `timeout` seconds.
import { spawn } from 'node:child_process';
import { failedPrecondition } from '../errors/errors.ts';
import type { Hook, State } from './spec/types.ts';

export async function runHook(kind: string, hook: Hook, state: State): Promise<void> {
  const child = spawn(hook.path, (hook.args ?? [hook.path]).slice(1), {
    argv0: hook.args?.[0] ?? hook.path,
    env: Object.fromEntries((hook.env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])),
    stdio: ['pipe', 'ignore', 'pipe'],
    timeout: hook.timeout ? hook.timeout * 1000 : undefined,
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdin!.on('error', () => {});
  child.stdin!.end(JSON.stringify(state));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res, rej) => {
    child.on('error', rej);
    child.on('close', (c, s) => res([c, s]));
  }).catch((err: Error) => { throw failedPrecondition(`${kind} hook ${hook.path}: ${err.message}`, err); });
  if (code !== 0) {
    const why = signal ? `killed by ${signal}${hook.timeout ? ` (timeout ${hook.timeout}s)` : ''}` : `exit status ${code}`;
    throw failedPrecondition(`${kind} hook ${hook.path} failed: ${why}${stderr ? `: ${stderr.trim()}` : ''}`);
  }
}

export async function runHooks(kind: string, hooks: readonly Hook[] | undefined, state: State): Promise<void> {
  for (const hook of hooks ?? []) await runHook(kind, hook, state);
}

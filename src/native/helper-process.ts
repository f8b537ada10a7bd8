// Starts the native helper with an op list and speaks its protocol: the frame goes out on
// fd 3 (a socket), JSON lines come back on it ({"type":"pid"|"sync"|"ready"|"error"}); each
// sync is answered with "k" after the caller's callback ran (or "a" to abort). fd 4 carries
// log lines. EOF on fd 3 after the pid means the container process has exec'd.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { onLines } from '../sys/lines.ts';
import { constants } from 'node:os';
import type { Op } from './protocol.gen.ts';
import { encodeMessage } from './protocol-codec.ts';
import { BerthError, failedPrecondition, notFound, permissionDenied, canceled } from '../errors/errors.ts';

export interface StartHelperOptions {
  helperPath: string;
  label: string;                         // argv[1], shown by ps
  ops: Op[];
  stdio?: ('inherit' | 'ignore' | 'pipe' | number)[];
  extraFds?: number[];                   // become fds 5, 6, ... in the helper
  detached?: boolean;                    // not kept alive by (and not waited for by) this process
  onSync?: (name: string, pid: number) => Promise<void>;
  signal?: AbortSignal;
  /** Start it as a fork of the op server instead of a process start (detached helpers only;
   *  the stdio is /dev/null and there are no extra fds). */
  via?: HelperSpawner;
}

/** Makes a new helper without a process start (op-server.ts). */
export interface HelperSpawner {
  spawnHelper(label: string): Promise<{ sync: Socket; pid: number }>;
}

export interface HelperExit { exitCode: number; signal: NodeJS.Signals | null }

export interface StartedHelper {
  pid: number;                           // the container process (host pid)
  monitorPid: number;
  child?: ChildProcess;                  // the monitor, with stdio pipes when asked for (not via the op server)
  logs: string[];                        // log lines the helper wrote on fd 4
  exited: Promise<HelperExit>;           // the container's exit as the monitor reports it
}

interface HelperMessage { type: string; pid?: number; name?: string; op?: string; index?: number; errno?: number; message?: string }

const ERRNO_NAME = new Map(Object.entries(constants.errno).map(([k, v]) => [v, k]));

function helperError(m: HelperMessage): BerthError {
  const text = m.message ?? 'failed';
  const code = ERRNO_NAME.get(m.errno ?? 0);
  const err = code === 'ENOENT' ? notFound(text) : code === 'EPERM' || code === 'EACCES' ? permissionDenied(text) : failedPrecondition(text);
  return Object.assign(err, { errno: m.errno, op: m.op, opIndex: m.index });
}

interface Started { sync: Socket; monitorPid: number; child?: ChildProcess; logs: string[]; exited: Promise<HelperExit>; stopLogs(): void }

function spawnDirect(opts: StartHelperOptions): Started {
  const stdio = [...(opts.stdio ?? ['inherit', 'inherit', 'inherit']), 'pipe', 'pipe', ...(opts.extraFds ?? [])] as StdioOptions;
  // Always a session of its own: terminal signals go to the caller, which forwards them; the
  // monitor must not get a second copy. `detached` only decides whether we wait for it.
  const child = spawn(opts.helperPath, [opts.label], { stdio, detached: true });
  const logStream = child.stdio[4] as Readable;
  const logs: string[] = [];
  const exited = new Promise<HelperExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0), signal }));
  });
  onLines(logStream, (l) => logs.push(l));
  logStream.on('error', () => {});
  return { sync: child.stdio[3] as Socket, monitorPid: child.pid ?? 0, child, logs, exited, stopLogs: () => logStream.destroy() };
}

export async function startHelper(opts: StartHelperOptions): Promise<StartedHelper> {
  // Through the op server when there is one; if it cannot make a helper (its socket path too
  // long, the server gone and not restartable...), the process start as without it.
  const forked = opts.via ? await opts.via.spawnHelper(opts.label).catch(() => undefined) : undefined;
  const started: Started = forked
    ? { sync: forked.sync, monitorPid: forked.pid, logs: [], exited: new Promise<HelperExit>(() => {}), stopLogs: () => {} }
    : spawnDirect(opts);
  return drive(opts, started);
}

/** Speaks the protocol on the helper's fd 3 until the container is ready (or failed). */
function drive(opts: StartHelperOptions, h: Started): Promise<StartedHelper> {
  const gated = opts.ops.some((o) => o.op === 'exec' && o.gate === 1);
  const { sync, child, logs, exited } = h;
  return new Promise<StartedHelper>((resolve, reject) => {
    let pid = 0;
    let failure: BerthError | undefined;
    let settled = false;
    let pending = Promise.resolve();
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
        if (child) child.kill('SIGKILL');
        else if (h.monitorPid) try { process.kill(h.monitorPid, 'SIGKILL'); } catch { /* gone */ }
        sync.destroy();
        reject(err);
        return;
      }
      sync.destroy();
      if (opts.detached) {
        h.stopLogs();
        child?.unref();
      }
      resolve({ pid, monitorPid: h.monitorPid, child, logs, exited });
    };
    const onAbort = () => finish(canceled('container creation canceled'));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child?.once('error', (err) => finish(failedPrecondition(`start the native helper ${opts.helperPath}: ${err.message}`, err)));
    sync.on('error', () => { /* EPIPE when the helper died; reported through 'close' */ });

    const handle = async (m: HelperMessage) => {
      if (m.type === 'pid') pid = m.pid ?? 0;
      else if (m.type === 'error') failure ??= helperError(m);
      else if (m.type === 'ready') finish();
      else if (m.type === 'sync') {
        try {
          await opts.onSync?.(m.name ?? '', pid);
          sync.write('k');
        } catch (err) {
          failure ??= err instanceof BerthError ? err : failedPrecondition(`at ${m.name}: ${(err as Error).message}`, err);
          sync.write('a');
        }
      }
    };
    onLines(sync, (line) => {
      let m: HelperMessage;
      try { m = JSON.parse(line) as HelperMessage; } catch { return; }
      pending = pending.then(() => handle(m));
    });
    sync.once('close', () => {
      void pending.then(async () => {
        if (failure) return finish(failure);
        if (gated || !pid) {
          // Without an error report: the helper died. Its exit status says how.
          const exit = child ? await Promise.race([exited, new Promise<null>((r) => setTimeout(() => r(null), 2000))]) : null;
          const how = exit ? `exit status ${exit.exitCode}` : 'no exit status';
          return finish(failedPrecondition(`the native helper ended before the container was ${gated ? 'ready' : 'started'} (${how}); ${logs.join(' ')}`));
        }
        finish();
      });
    });
    sync.write(encodeMessage(opts.ops));
  });
}

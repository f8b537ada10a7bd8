// A long-lived helper (`berth-helper --serve`) that runs short host-side op lists for the
// daemon — the overlay mount of a container's rootfs, its unmount after the exit — without a
// process start each time: a fork of the small static helper instead of Node's spawn of
// mount(8)/umount(8). Requests go one at a time over fd 3; the server answers each with the
// error line of the op that failed (if one did) and a {"type":"done"} line.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Op } from './protocol.gen.ts';
import { encodeMessage } from './protocol-codec.ts';
import { failedPrecondition, notFound, permissionDenied, type BerthError } from '../errors/errors.ts';

interface Line { type?: string; status?: number; errno?: number; message?: string }
interface Pending { ops: Op[]; resolve(): void; reject(e: Error): void }

function toError(m: Line | undefined, status: number): BerthError {
  const text = m?.message ?? `the native helper failed (exit status ${status})`;
  if (m?.errno === 2) return notFound(text);
  if (m?.errno === 1 || m?.errno === 13) return permissionDenied(text);
  return failedPrecondition(text);
}

export class OpServer {
  private child?: ChildProcess;
  private sock?: Socket;
  private readonly queue: Pending[] = [];
  private current?: Pending & { error?: Line };
  private readonly helperPath: string;
  constructor(helperPath: string) { this.helperPath = helperPath; }

  /** Runs `ops` in a child of the server; rejects with the helper's own error (errno, message). */
  run(ops: Op[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, resolve, reject });
      this.next();
    });
  }

  /** Ends the server (it exits when fd 3 closes). */
  close(): void {
    this.sock?.end();
    this.child = this.sock = undefined;
  }

  private next(): void {
    if (this.current) return;
    // Idle, the server keeps nobody alive; with a request out, its reply must be awaited.
    if (!this.queue.length) { this.sock?.unref(); return; }
    const sock = this.sock ?? this.start();
    sock.ref();
    this.current = this.queue.shift()!;
    sock.write(encodeMessage(this.current.ops));
  }

  private start(): Socket {
    // fd 4 (the helper's log) must be open; its lines repeat the error lines of fd 3: drained.
    const child = spawn(this.helperPath, ['--serve'], { stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'] });
    const sock = child.stdio[3] as Socket;
    const log = child.stdio[4] as Socket;
    log.on('error', () => {}).resume();
    log.unref();
    this.child = child;
    this.sock = sock;
    child.unref();
    sock.unref();
    const gone = (why: string) => {
      if (this.sock !== sock) return;
      this.child = this.sock = undefined;
      const failed = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
      this.current = undefined;
      for (const p of failed) p.reject(failedPrecondition(`the native helper's op server ended: ${why}`));
    };
    child.once('error', (e) => gone(e.message));
    sock.on('error', (e) => gone(e.message));
    sock.once('close', () => gone('its socket closed'));
    createInterface({ input: sock }).on('error', () => {}).on('line', (text) => {
      let m: Line;
      try { m = JSON.parse(text) as Line; } catch { return; }
      const cur = this.current;
      if (!cur) return;
      if (m.type === 'error') cur.error ??= m;
      else if (m.type === 'done') {
        this.current = undefined;
        if (m.status === 0) cur.resolve();
        else cur.reject(toError(cur.error, m.status ?? 1));
        this.next();
      }
    });
    return sock;
  }
}

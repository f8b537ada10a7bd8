// A long-lived helper (`berth-helper --serve`) that runs short host-side op lists for the
// daemon — the overlay mount of a container's rootfs, its unmount after the exit — and makes
// new container helpers, without a process start each time: a fork of the small static helper
// instead of Node's spawn (whose fork of berthd's heap blocks the event loop for ~5 ms, the
// largest serial cost of 20 parallel `docker run`). Requests go one at a time over fd 3; the
// server answers each with the error line of the op that failed (if one did) and a
// {"type":"done"} line. A new helper connects back to a unix socket of ours and says hello.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from '../sys/random.ts';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HelperSpawner } from './helper-process.ts';
import { onLines } from '../sys/lines.ts';
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

/** Room in the server's argument area for a forked helper's label (`berth-runtime-exec:<id>`). */
const LABEL_ROOM = ' '.repeat(100);

export class OpServer implements HelperSpawner {
  private child?: ChildProcess;
  private listener?: { server: Server; path: string };
  private readonly hellos = new Map<string, (s: { sync: Socket; pid: number }) => void>();
  private readonly socketDir?: string;
  private sock?: Socket;
  private readonly queue: Pending[] = [];
  private current?: Pending & { error?: Line };
  private readonly helperPath: string;
  /** `socketDir`: where new helpers connect back (needed for spawnHelper only). */
  constructor(helperPath: string, socketDir?: string) {
    this.helperPath = helperPath;
    this.socketDir = socketDir;
  }

  /** A new helper, forked by the server, connected to us; it waits for its op list. */
  async spawnHelper(label: string): Promise<{ sync: Socket; pid: number }> {
    const path = await this.listen();
    const token = randomBytes(12).toString('hex');
    const hello = new Promise<{ sync: Socket; pid: number }>((resolve) => this.hellos.set(token, resolve));
    try {
      await this.run([{ op: 'spawnHelper', socketPath: path, token, label }]);
      return await withTimeout(hello, 5000, `the helper forked for ${label} did not connect`);
    } finally {
      this.hellos.delete(token);
    }
  }

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
    if (this.listener) {
      this.listener.server.close();
      rmSync(this.listener.path, { force: true });
      this.listener = undefined;
    }
  }

  private async listen(): Promise<string> {
    if (this.listener) return this.listener.path;
    if (!this.socketDir) throw failedPrecondition('the op server has no socket directory for new helpers');
    const path = join(this.socketDir, `helper-${process.pid}.sock`);
    rmSync(path, { force: true });
    const server = createServer((conn) => this.greet(conn));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, () => resolve()));
    server.unref();
    this.listener = { server, path };
    return path;
  }

  /** Reads a new helper's hello line (nothing follows it until we send the op list). */
  private greet(conn: Socket): void {
    let text = '';
    conn.on('error', () => conn.destroy());
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const nl = text.indexOf('\n');
      if (nl < 0) return;
      conn.off('data', onData);
      conn.pause();
      let m: Line & { token?: string; pid?: number };
      try { m = JSON.parse(text.slice(0, nl)) as typeof m; } catch { conn.destroy(); return; }
      const take = m.type === 'hello' && m.token ? this.hellos.get(m.token) : undefined;
      if (!take) { conn.destroy(); return; }
      take({ sync: conn, pid: m.pid ?? 0 });
    };
    conn.on('data', onData);
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
    const child = spawn(this.helperPath, ['--serve', LABEL_ROOM], { stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'] });
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
    onLines(sock, (text) => {
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

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(failedPrecondition(what)), ms); })])
    .finally(() => clearTimeout(timer));
}

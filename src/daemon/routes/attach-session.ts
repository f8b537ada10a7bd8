// The live part of POST /containers/{id}/attach: a session on the container's attach relay
// (waiting for the start when the container has not started), its stdin forwarded (queued until
// the relay exists), and Docker's detach keys on a TTY's stdin ending the session.
import type { HijackedConn } from '../reply.ts';
import type { ContainerService } from '../../container/service/container-service.ts';
import type { ContainerRecord } from '../../container/model.ts';
import { parseDetachKeys, type DetachScanner } from '../../api/detach-keys.ts';
import { invalidArgument } from '../../errors/errors.ts';

/** The detachKeys query (or an exec's DetachKeys): empty means Docker's default. */
export function detachKeysOf(v: string | undefined): Uint8Array {
  if (!v) return new Uint8Array(0);
  try {
    return parseDetachKeys(v);
  } catch {
    throw invalidArgument(`Invalid detach keys (${v}) provided`);
  }
}

export interface LiveOptions {
  stdout: boolean;
  stderr: boolean;
  write(stream: 'stdout' | 'stderr', data: Buffer): void;
  stdin: boolean;
  /** Set for a TTY: the scanner of the detach keys. */
  detach?: DetachScanner;
}

/** Resolves when the session ends: the container's output ended, the client left or detached. */
export function attachLive(c: ContainerService, rec: ContainerRecord, conn: HijackedConn, o: LiveOptions): Promise<void> {
  return new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      session.detach();
      conn.close();
      resolve();
    };
    const session = c.attach(rec.ID, {
      stdout: o.stdout, stderr: o.stderr,
      onData: (stream, data) => o.write(stream === 1 ? 'stdout' : 'stderr', data),
      onEnd: finish,
    });
    conn.signal.addEventListener('abort', finish, { once: true });
    if (!o.stdin) return;
    // Input may come before the container has started: keep it until the relay exists.
    const queue: (Buffer | 'eof')[] = [];
    const flush = () => {
      const relay = session.relay();
      if (!relay) return false;
      for (const item of queue.splice(0)) {
        // As dockerd (container/stream/attach.go): the end of a client's input closes a StdinOnce
        // container's stdin only without a TTY. With one, the docker CLI detaches by itself
        // (its escape proxy eats the keys) and just goes away: that must not end the shell.
        if (item === 'eof') { if (rec.Config.StdinOnce && !rec.Config.Tty) relay.closeStdin(); } else relay.stdin(item);
      }
      return true;
    };
    const timer = setInterval(() => { if (done || flush()) clearInterval(timer); }, 20);
    conn.input.on('data', (d: Buffer) => {
      if (done) return;
      if (o.detach) {
        const r = o.detach.push(d);
        if (r.data.length) queue.push(Buffer.from(r.data));
        flush();
        if (r.detach) { c.detached(rec.ID); finish(); }
        return;
      }
      queue.push(d);
      flush();
    });
    // After a detach the client's end of input is no EOF for the container (StdinOnce).
    conn.input.on('end', () => { if (done) return; queue.push('eof'); flush(); });
    conn.input.on('error', () => {});
  });
}

// The hijacked attach/exec stream on the terminal: stdin copied in (raw mode when both sides are
// TTYs, half-closed at EOF), output copied out (raw with -t, demultiplexed without), the remote
// terminal kept at our size (resize now and on SIGWINCH).
import type { Hijacked } from '../../../client/transport.ts';
import { demuxStream } from '../../../client/stdcopy-demux.ts';
import type { CliContext } from '../../command.ts';

export interface StreamOptions { stdin: boolean; tty: boolean }

export interface Session {
  /** Resolves when the output side ends (the container or exec process is done with it). */
  done: Promise<void>;
  /** Restores the terminal and stops reading stdin. */
  close(): void;
}

export function streamHijacked(ctx: CliContext, h: Hijacked, o: StreamOptions): Session {
  const { stdin, stdout, stderr } = ctx.io;
  const sock = h.socket;
  let raw = false;
  if (o.stdin && o.tty && stdin.isTTY && stdin.setRawMode) { stdin.setRawMode(true); raw = true; }
  const onData = (c: Buffer) => { sock.write(c); };
  const onEnd = () => { if (!sock.destroyed) sock.end(); };
  if (o.stdin) {
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.resume();
  }
  const close = () => {
    if (o.stdin) {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
      (stdin as { unref?: () => void }).unref?.();
    }
    if (raw) { stdin.setRawMode!(false); raw = false; }
  };
  const output = h.multiplexed && !o.tty
    ? demuxStream(sock, stdout, stderr)
    : new Promise<void>((resolve, reject) => {
      sock.on('data', (c: Buffer) => { stdout.write(c); });
      sock.once('end', resolve);
      sock.once('close', () => resolve());
      sock.once('error', reject);
    });
  const done = output.then(() => { close(); }, (err) => { close(); throw err; });
  return { done, close: () => { close(); sock.destroy(); } };
}

/** Sends our terminal size now and on every SIGWINCH; returns the unsubscribe function. */
export function keepSize(ctx: CliContext, resize: (h: number, w: number) => Promise<unknown>): () => void {
  const out = ctx.io.stdout;
  if (!out.isTTY) return () => {};
  const send = () => { if (out.rows && out.columns) resize(out.rows, out.columns).catch(() => {}); };
  send();
  return ctx.onSignal('SIGWINCH', send);
}

/** Forwards SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGUSR1/SIGUSR2 to the container (docker's --sig-proxy). */
export function proxySignals(ctx: CliContext, kill: (sig: string) => Promise<unknown>): () => void {
  const offs = (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const).map((s) => ctx.onSignal(s, () => {
    kill(s).catch((err: Error) => { if (ctx.debug) ctx.err(`error sending signal: ${err.message}\n`); });
  }));
  return () => { for (const off of offs) off(); };
}

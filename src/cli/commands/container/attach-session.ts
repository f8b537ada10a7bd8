// The hijacked attach/exec stream on the terminal: stdin copied in (raw mode when both sides are
// TTYs, half-closed at EOF), output copied out (raw with -t, demultiplexed without), the remote
// terminal kept at our size (resize now and on SIGWINCH). Detaching (ctrl-p,ctrl-q or
// --detach-keys on a TTY) is the daemon's: the keys go to it with the rest of the input and it
// ends the stream; the session watches for them too, to tell a detach from an exit.
import { spawnSync } from 'node:child_process';
import type { Hijacked } from '../../../client/transport.ts';
import { demuxStream } from '../../../client/stdcopy-demux.ts';
import { DetachScanner, parseDetachKeys } from '../../../api/detach-keys.ts';
import { loadConfig } from '../../config-file.ts';
import { str, type CliContext } from '../../command.ts';
import type { FlagValues } from '../../flags/parse-flags.ts';

export interface StreamOptions {
  stdin: boolean;
  tty: boolean;
  /** The sequence sent as detachKeys (default ctrl-p,ctrl-q). */
  detachKeys?: string;
}

/** Docker's "read escape sequence": `attach` and `exec -it` end with it (status 1) on a detach. */
export const DETACHED = 'read escape sequence';

/** --detach-keys, else config.json's detachKeys (as docker reads them); undefined: the daemon's default. */
export function detachKeysFor(ctx: CliContext, f: FlagValues): string | undefined {
  return str(f, 'detach-keys') || loadConfig(ctx.configDir).detachKeys || undefined;
}

function scannerFor(o: StreamOptions): DetachScanner | undefined {
  if (!o.stdin || !o.tty) return undefined;
  try { return new DetachScanner(o.detachKeys ? parseDetachKeys(o.detachKeys) : undefined); } catch { return undefined; }
}

export interface Session {
  /** Resolves when the output side ends (the container or exec process is done with it). */
  done: Promise<void>;
  /** The user typed the detach keys (the daemon ended the stream; the process goes on). */
  readonly detached: boolean;
  /** Restores the terminal and stops reading stdin. */
  close(): void;
}

export function streamHijacked(ctx: CliContext, h: Hijacked, o: StreamOptions): Session {
  const { stdin, stdout, stderr } = ctx.io;
  const sock = h.socket;
  let raw = false;
  if (o.stdin && o.tty && stdin.isTTY && stdin.setRawMode) {
    stdin.setRawMode(true);
    raw = true;
    // docker's raw mode (moby/term MakeRaw) also turns output processing off; libuv's keeps
    // ONLCR, which would print the container's "\r\n" as "\r\r\n". setRawMode(false) restores it.
    if (stdin === process.stdin) spawnSync('stty', ['-opost'], { stdio: ['inherit', 'ignore', 'ignore'] });
  }
  const scanner = scannerFor(o);
  let detached = false;
  const onData = (c: Buffer) => {
    if (detached) return;
    sock.write(c);
    if (scanner?.push(c).detach) {
      detached = true;
      // The daemon ends the stream on the keys; one that does not gets a second to do it.
      setTimeout(() => sock.destroy(), 1000).unref();
    }
  };
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
  return { done, get detached() { return detached; }, close: () => { close(); sock.destroy(); } };
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

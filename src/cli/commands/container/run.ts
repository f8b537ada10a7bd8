// `berth run`: create (pulling when missing), attach before start unless -d, wait for the next
// exit (or removal with --rm) before start, start, forward signals, and exit with the
// container's status — Docker's runContainer.
import { readBody } from '../../../client/transport.ts';
import { StatusError } from '../../cli-error.ts';
import { bool, str, type CliContext, type Command } from '../../command.ts';
import { errorText } from './for-each.ts';
import { detachKeysFor, keepSize, proxySignals, streamHijacked, type Session } from './attach-session.ts';
import { CREATE_FLAGS, RUN_ONLY_FLAGS } from './create-flags.ts';
import { createContainer, createRequest } from './create-container.ts';

/** Docker's mapping of a failed start to 125/126/127. */
export function startErrorStatus(message: string): number {
  if (/executable file not found|no such file or directory|system cannot find the file specified/i.test(message)) return 127;
  if (/permission denied|is a directory/i.test(message)) return 126;
  return 125;
}

function runError(status: number, err: unknown): StatusError {
  return new StatusError(status, `berth: ${errorText(err)}\n\nRun 'berth run --help' for more information`);
}

/** POST /wait with the response headers in hand, so the wait is registered before start. */
export async function waitExitOrRemoved(ctx: CliContext, id: string, autoRemove: boolean): Promise<{ result: Promise<number> }> {
  const res = await ctx.client.stream('ContainerWait', { params: { id }, query: { condition: autoRemove ? 'removed' : 'next-exit' } });
  const result = readBody(res).then((buf) => {
    const r = JSON.parse(buf.toString('utf8') || '{}') as { StatusCode?: number; Error?: { Message?: string } | null };
    if (r.Error?.Message) ctx.err(`${r.Error.Message}\n`);
    return r.StatusCode ?? 125;
  });
  result.catch(() => {});
  return { result };
}

export const run: Command = {
  name: 'run', usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]', summary: 'Create and run a new container from an image', args: { min: 1 },
  interspersed: false, flags: [...CREATE_FLAGS, ...RUN_ONLY_FLAGS],
  async run(ctx, f, args) {
    const detach = bool(f, 'detach');
    const tty = bool(f, 'tty');
    let req;
    try { req = createRequest(ctx, f, args, detach); } catch (err) { throw runError(125, err); }
    const cfg = req.body as { AttachStdin: boolean; AttachStdout: boolean; AttachStderr: boolean; HostConfig: { AutoRemove: boolean } };
    if (tty && cfg.AttachStdin && !ctx.io.stdin.isTTY) throw runError(1, new Error('the input device is not a TTY'));
    let id: string;
    try { id = await createContainer(ctx, req, f); } catch (err) { throw runError(125, err); }
    const client = ctx.client;
    const offSignals = f['sig-proxy'] !== false && !tty ? proxySignals(ctx, (signal) => client.call('ContainerKill', { params: { id }, query: { signal } })) : () => {};
    try {
      let session: Session | undefined;
      if (!detach && (cfg.AttachStdin || cfg.AttachStdout || cfg.AttachStderr)) {
        const detachKeys = detachKeysFor(ctx, f);
        const h = await client.hijack('ContainerAttach', {
          params: { id },
          query: { stream: true, stdin: cfg.AttachStdin || undefined, stdout: cfg.AttachStdout || undefined, stderr: cfg.AttachStderr || undefined, detachKeys },
        });
        session = streamHijacked(ctx, h, { stdin: cfg.AttachStdin, tty, detachKeys });
      }
      const autoRemove = cfg.HostConfig.AutoRemove;
      const status = (await waitExitOrRemoved(ctx, id, autoRemove)).result;
      try {
        await client.call('ContainerStart', { params: { id } });
      } catch (err) {
        session?.close();
        if (autoRemove) {
          const removed = await Promise.race([status.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref())]);
          if (!removed) await client.call('ContainerDelete', { params: { id }, query: { force: true } }).catch(() => {});
        }
        throw runError(startErrorStatus((err as Error).message), err);
      }
      if (detach) { ctx.out(`${id}\n`); return 0; }
      const offSize = tty ? keepSize(ctx, (h, w) => client.call('ContainerResize', { params: { id }, query: { h, w } })) : () => {};
      try {
        if (session) await session.done.catch((err: Error) => { ctx.err(`Error: ${err.message}\n`); });
        if (session?.detached) return 0; // docker run -it: a detach leaves quietly, the container runs on
        const code = await status;
        if (code !== 0) throw new StatusError(code);
        return 0;
      } finally {
        offSize();
        session?.close();
      }
    } finally {
      offSignals();
    }
  },
};

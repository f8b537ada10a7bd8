// `berth start [-a] [-i] CONTAINER...`: without -a, start each and print its name; with -a/-i,
// attach first, wait for the next exit, start, and exit with the container's status.
import { StatusError } from '../../cli-error.ts';
import { bool, str, type Command } from '../../command.ts';
import { detachKeysFor, keepSize, proxySignals, streamHijacked } from './attach-session.ts';
import { forEachContainer } from './for-each.ts';
import { waitExitOrRemoved } from './run.ts';

interface Inspect { Id: string; Config: { Tty: boolean; OpenStdin: boolean }; HostConfig: { AutoRemove: boolean }; State: { Running: boolean; Restarting: boolean } }

export const start: Command = {
  name: 'start', usage: '[OPTIONS] CONTAINER [CONTAINER...]', summary: 'Start one or more stopped containers', args: { min: 1 },
  flags: [
    { name: 'attach', short: 'a', kind: 'bool', help: 'Attach STDOUT/STDERR and forward signals' },
    { name: 'detach-keys', kind: 'string', help: 'Override the key sequence for detaching a container' },
    { name: 'interactive', short: 'i', kind: 'bool', help: "Attach container's STDIN" },
  ],
  async run(ctx, f, args) {
    const attach = bool(f, 'attach');
    const interactive = bool(f, 'interactive');
    if (!attach && !interactive) return forEachContainer(ctx, args, (id) => ctx.client.call('ContainerStart', { params: { id } }));
    if (args.length > 1) throw new StatusError(1, 'you cannot start and attach multiple containers at once');
    const client = ctx.client;
    const c = await client.call<Inspect>('ContainerInspect', { params: { id: args[0] } });
    const id = c.Id;
    const tty = c.Config.Tty;
    const stdin = interactive && c.Config.OpenStdin;
    if (c.State.Running && !c.State.Restarting) throw new StatusError(1, `Error response from daemon: container ${args[0]} is already running`);
    const offSignals = tty ? () => {} : proxySignals(ctx, (signal) => client.call('ContainerKill', { params: { id }, query: { signal } }));
    try {
      const detachKeys = detachKeysFor(ctx, f);
      const h = await client.hijack('ContainerAttach', {
        params: { id }, query: { stream: true, stdin: stdin || undefined, stdout: true, stderr: true, detachKeys },
      });
      const session = streamHijacked(ctx, h, { stdin, tty, detachKeys });
      const status = (await waitExitOrRemoved(ctx, id, c.HostConfig.AutoRemove)).result;
      try {
        await client.call('ContainerStart', { params: { id } });
      } catch (err) {
        session.close();
        throw err;
      }
      const offSize = tty ? keepSize(ctx, (h, w) => client.call('ContainerResize', { params: { id }, query: { h, w } })) : () => {};
      try {
        await session.done;
        if (session.detached) return; // start -ai: a detach leaves quietly
        const code = await status;
        if (code !== 0) throw new StatusError(code);
      } finally {
        offSize();
        session.close();
      }
    } finally {
      offSignals();
    }
  },
};

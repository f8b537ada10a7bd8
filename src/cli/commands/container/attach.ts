// `berth attach [--no-stdin] [--sig-proxy=false] CONTAINER`: joins a running container's stdio
// and exits with its status.
import { StatusError } from '../../cli-error.ts';
import { bool, str, type Command } from '../../command.ts';
import { DETACHED, detachKeysFor, keepSize, proxySignals, streamHijacked } from './attach-session.ts';

interface Inspect { Id: string; Config: { Tty: boolean; OpenStdin: boolean }; State: { Running: boolean; Paused: boolean; Restarting: boolean } }

export const attach: Command = {
  name: 'attach', usage: '[OPTIONS] CONTAINER', summary: "Attach local standard input, output, and error streams to a running container", args: { min: 1, max: 1 },
  flags: [
    { name: 'detach-keys', kind: 'string', help: 'Override the key sequence for detaching a container' },
    { name: 'no-stdin', kind: 'bool', help: 'Do not attach STDIN' },
    { name: 'sig-proxy', kind: 'bool', default: true, help: 'Proxy all received signals to the process' },
  ],
  async run(ctx, f, [name]) {
    const client = ctx.client;
    const c = await client.call<Inspect>('ContainerInspect', { params: { id: name } });
    if (!c.State.Running) throw new StatusError(1, 'You cannot attach to a stopped container, start it first');
    if (c.State.Paused) throw new StatusError(1, 'You cannot attach to a paused container, unpause it first');
    if (c.State.Restarting) throw new StatusError(1, 'You cannot attach to a restarting container, wait until it is running');
    const id = c.Id;
    const tty = c.Config.Tty;
    const stdin = !bool(f, 'no-stdin') && c.Config.OpenStdin;
    if (stdin && tty && !ctx.io.stdin.isTTY) throw new StatusError(1, 'the input device is not a TTY');
    const detachKeys = detachKeysFor(ctx, f);
    const h = await client.hijack('ContainerAttach', {
      params: { id }, query: { stream: true, stdin: stdin || undefined, stdout: true, stderr: true, detachKeys },
    });
    const status = client.call<{ StatusCode: number }>('ContainerWait', { params: { id } });
    status.catch(() => {});
    const offSignals = f['sig-proxy'] !== false && !tty ? proxySignals(ctx, (signal) => client.call('ContainerKill', { params: { id }, query: { signal } })) : () => {};
    const offSize = tty ? keepSize(ctx, (hh, w) => client.call('ContainerResize', { params: { id }, query: { h: hh, w } })) : () => {};
    const session = streamHijacked(ctx, h, { stdin, tty, detachKeys });
    try {
      await session.done;
      if (session.detached) throw new StatusError(1, DETACHED);
      const r = await status;
      if (r.StatusCode !== 0) throw new StatusError(r.StatusCode);
    } finally {
      offSize();
      offSignals();
      session.close();
    }
  },
};

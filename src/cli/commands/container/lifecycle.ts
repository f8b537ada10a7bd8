// stop, restart, kill, pause, unpause, rm, rename: one API call per container.
import { bool, str, type Command } from '../../command.ts';
import { StatusError } from '../../cli-error.ts';
import { errorText, forEachContainer, throwCollected } from './for-each.ts';

const CONTAINERS = 'CONTAINER [CONTAINER...]';
const timeFlags = [
  { name: 'signal', short: 's', kind: 'string' as const, help: 'Signal to send to the container' },
  { name: 'time', short: 't', kind: 'int' as const, help: 'Seconds to wait before killing the container' },
  { name: 'timeout', kind: 'int' as const, help: 'Seconds to wait before killing the container' },
];
const timeQuery = (f: Record<string, unknown>) => ({ t: (f.time ?? f.timeout) as number | undefined, signal: (f.signal as string | undefined) || undefined });

export const stop: Command = {
  name: 'stop', usage: `[OPTIONS] ${CONTAINERS}`, summary: 'Stop one or more running containers', args: { min: 1 }, flags: timeFlags,
  run: (ctx, f, args) => forEachContainer(ctx, args, (id) => ctx.client.call('ContainerStop', { params: { id }, query: timeQuery(f) })),
};

export const restart: Command = {
  name: 'restart', usage: `[OPTIONS] ${CONTAINERS}`, summary: 'Restart one or more containers', args: { min: 1 }, flags: timeFlags,
  run: (ctx, f, args) => forEachContainer(ctx, args, (id) => ctx.client.call('ContainerRestart', { params: { id }, query: timeQuery(f) })),
};

export const kill: Command = {
  name: 'kill', usage: `[OPTIONS] ${CONTAINERS}`, summary: 'Kill one or more running containers', args: { min: 1 },
  flags: [{ name: 'signal', short: 's', kind: 'string', help: 'Signal to send to the container' }],
  run: (ctx, f, args) => forEachContainer(ctx, args, (id) => ctx.client.call('ContainerKill', { params: { id }, query: { signal: str(f, 'signal') || undefined } })),
};

export const pause: Command = {
  name: 'pause', usage: CONTAINERS, summary: 'Pause all processes within one or more containers', args: { min: 1 }, flags: [],
  run: (ctx, _f, args) => forEachContainer(ctx, args, (id) => ctx.client.call('ContainerPause', { params: { id } })),
};

export const unpause: Command = {
  name: 'unpause', usage: CONTAINERS, summary: 'Unpause all processes within one or more containers', args: { min: 1 }, flags: [],
  run: (ctx, _f, args) => forEachContainer(ctx, args, (id) => ctx.client.call('ContainerUnpause', { params: { id } })),
};

export const rm: Command = {
  name: 'rm', aliases: ['container remove'], usage: `[OPTIONS] ${CONTAINERS}`, summary: 'Remove one or more containers', args: { min: 1 },
  flags: [
    { name: 'force', short: 'f', kind: 'bool', help: 'Force the removal of a running container (uses SIGKILL)' },
    { name: 'link', short: 'l', kind: 'bool', help: 'Remove the specified link' },
    { name: 'volumes', short: 'v', kind: 'bool', help: 'Remove anonymous volumes associated with the container' },
  ],
  run: (ctx, f, args) => forEachContainer(ctx, args.map((a) => a.replace(/^\//, '')), (id) => ctx.client.call('ContainerDelete', {
    params: { id }, query: { force: bool(f, 'force') || undefined, v: bool(f, 'volumes') || undefined, link: bool(f, 'link') || undefined },
  })),
};

export const rename: Command = {
  name: 'rename', usage: 'CONTAINER NEW_NAME', summary: 'Rename a container', args: { min: 2, max: 2 }, flags: [],
  async run(ctx, _f, [id, name]) {
    if (!name.trim()) throw new StatusError(1, 'Error: Neither old nor new names may be empty');
    try {
      await ctx.client.call('ContainerRename', { params: { id }, query: { name: name.trim() } });
    } catch (err) {
      throw new StatusError(1, `${errorText(err)}\nError: failed to rename container named ${id}`);
    }
  },
};

export const wait: Command = {
  name: 'wait', usage: CONTAINERS, summary: 'Block until one or more containers stop, then print their exit codes', args: { min: 1 }, flags: [],
  async run(ctx, _f, args) {
    const errors: unknown[] = [];
    for (const id of args) {
      try {
        const r = await ctx.client.call<{ StatusCode: number }>('ContainerWait', { params: { id } });
        ctx.out(`${r.StatusCode}\n`);
      } catch (err) { errors.push(err); }
    }
    throwCollected(errors);
  },
};

// `berth diff CONTAINER`: the container's filesystem changes as Docker prints them ("C /etc").
import type { Command } from '../../command.ts';

const KIND = ['C', 'A', 'D'];

export const diff: Command = {
  name: 'diff', usage: 'CONTAINER', summary: "Inspect changes to files or directories on a container's filesystem", args: { min: 1, max: 1 }, flags: [],
  async run(ctx, _f, [id]) {
    const changes = await ctx.client.call<{ Path: string; Kind: number }[] | null>('ContainerChanges', { params: { id } });
    for (const c of changes ?? []) ctx.out(`${KIND[c.Kind] ?? '?'} ${c.Path}\n`);
  },
};

// `berth rmi` / `berth image rm`: prints Untagged:/Deleted: lines; errors after, status 1.
import { bool, type Command } from '../../command.ts';
import { throwCollected } from '../container/for-each.ts';

export const rmi: Command = {
  name: 'rmi', usage: '[OPTIONS] IMAGE [IMAGE...]', summary: 'Remove one or more images', args: { min: 1 },
  flags: [
    { name: 'force', short: 'f', kind: 'bool', help: 'Force removal of the image' },
    { name: 'no-prune', kind: 'bool', help: 'Do not delete untagged parents' },
  ],
  async run(ctx, f, args) {
    const errors: unknown[] = [];
    for (const name of args) {
      try {
        const res = await ctx.client.call<{ Untagged?: string; Deleted?: string }[]>('ImageDelete', {
          params: { name }, query: { force: bool(f, 'force') || undefined, noprune: bool(f, 'no-prune') || undefined },
        });
        for (const d of res ?? []) ctx.out(d.Deleted ? `Deleted: ${d.Deleted}\n` : `Untagged: ${d.Untagged}\n`);
      } catch (err) { errors.push(err); }
    }
    throwCollected(errors);
  },
};

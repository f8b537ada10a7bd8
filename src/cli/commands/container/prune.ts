// `berth container prune [-f] [--filter]`
import { encodeFilters } from '../../../api/filters.ts';
import { bool, list, type Command } from '../../command.ts';
import { parseFilterFlags } from '../../filters-flag.ts';
import { humanSize } from '../../format/human-units.ts';
import { confirm } from '../../prompt.ts';

export const containerPrune: Command = {
  name: 'prune', usage: '[OPTIONS]', summary: 'Remove all stopped containers', args: { max: 0 },
  flags: [
    { name: 'filter', kind: 'list', help: 'Provide filter values (e.g. "until=<timestamp>")' },
    { name: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
  ],
  async run(ctx, f) {
    if (!bool(f, 'force') && !(await confirm(ctx, 'WARNING! This will remove all stopped containers.'))) return;
    const filters = parseFilterFlags(list(f, 'filter'));
    const r = await ctx.client.call<{ ContainersDeleted?: string[] | null; SpaceReclaimed?: number }>('ContainerPrune', {
      query: { filters: Object.keys(filters).length ? encodeFilters(filters) : undefined },
    });
    let out = '';
    if (r.ContainersDeleted?.length) out += `Deleted Containers:\n${r.ContainersDeleted.join('\n')}\n\n`;
    ctx.out(`${out}Total reclaimed space: ${humanSize(r.SpaceReclaimed ?? 0)}\n`);
  },
};

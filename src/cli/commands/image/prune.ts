// `berth image prune [-a] [-f] [--filter]`
import { encodeFilters } from '../../../api/filters.ts';
import { bool, list, type Command } from '../../command.ts';
import { parseFilterFlags } from '../../filters-flag.ts';
import { humanSize } from '../../format/human-units.ts';
import { confirm } from '../../prompt.ts';

export const imagePrune: Command = {
  name: 'prune', usage: '[OPTIONS]', summary: 'Remove unused images', args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', help: 'Remove all unused images, not just dangling ones' },
    { name: 'filter', kind: 'list', help: 'Provide filter values (e.g. "until=<timestamp>")' },
    { name: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
  ],
  async run(ctx, f) {
    const all = bool(f, 'all');
    const warning = all ? 'WARNING! This will remove all images without at least one container associated to them.' : 'WARNING! This will remove all dangling images.';
    if (!bool(f, 'force') && !(await confirm(ctx, warning))) return;
    const filters = parseFilterFlags(list(f, 'filter'));
    filters.dangling = [all ? 'false' : 'true'];
    const r = await ctx.client.call<{ ImagesDeleted?: { Untagged?: string; Deleted?: string }[] | null; SpaceReclaimed?: number }>('ImagePrune', { query: { filters: encodeFilters(filters) } });
    let out = '';
    if (r.ImagesDeleted?.length) {
      out += 'Deleted Images:\n';
      for (const d of r.ImagesDeleted) out += d.Untagged ? `untagged: ${d.Untagged}\n` : `deleted: ${d.Deleted}\n`;
      out += '\n';
    }
    ctx.out(`${out}Total reclaimed space: ${humanSize(r.SpaceReclaimed ?? 0)}\n`);
  },
};

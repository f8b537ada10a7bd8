// `berth ps` / `berth container ls`: Docker's table, -q, --format (table, json, templates).
import { encodeFilters } from '../../../api/filters.ts';
import { bool, int, list, str, type Command } from '../../command.ts';
import { loadConfig } from '../../config-file.ts';
import { parseFilterFlags } from '../../filters-flag.ts';
import { containerRow, PS_HEADERS, PS_TABLE, type ApiContainer } from '../../format/container-row.ts';
import { render } from '../../format/render.ts';

export const ps: Command = {
  name: 'ps',
  aliases: ['container ls', 'container list', 'container ps'],
  usage: '[OPTIONS]',
  summary: 'List containers',
  args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', help: 'Show all containers (default shows just running)' },
    { name: 'filter', short: 'f', kind: 'list', help: 'Filter output based on conditions provided' },
    { name: 'format', kind: 'string', help: 'Format output using a custom template' },
    { name: 'last', short: 'n', kind: 'int', default: -1, help: 'Show n last created containers (includes all states)' },
    { name: 'latest', short: 'l', kind: 'bool', help: 'Show the latest created container (includes all states)' },
    { name: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
    { name: 'quiet', short: 'q', kind: 'bool', help: 'Only display container IDs' },
    { name: 'size', short: 's', kind: 'bool', help: 'Display total file sizes' },
  ],
  async run(ctx, f) {
    const quiet = bool(f, 'quiet');
    let format = str(f, 'format');
    if (!format) format = (!quiet && loadConfig(ctx.configDir).psFormat) || 'table';
    let last = int(f, 'last') ?? -1;
    if (bool(f, 'latest') && last === -1) last = 1;
    let size = bool(f, 'size');
    if (!quiet && /\.Size\b/.test(format)) size = true;
    let tmpl = format;
    if (format === 'table') tmpl = quiet ? '{{.ID}}' : size ? `${PS_TABLE}\t{{.Size}}` : PS_TABLE;
    const filters = parseFilterFlags(list(f, 'filter'));
    const items = await ctx.client.call<ApiContainer[]>('ContainerList', {
      query: {
        all: bool(f, 'all') || undefined, limit: last > 0 ? last : undefined, size: size || undefined,
        filters: Object.keys(filters).length ? encodeFilters(filters) : undefined,
      },
    });
    const now = Date.now();
    const trunc = !bool(f, 'no-trunc');
    const rows = items.map((c) => containerRow(c, { trunc, now }));
    ctx.out(render(rows, { format: tmpl, defaultTable: PS_TABLE, headers: PS_HEADERS, goType: '*formatter.ContainerContext', fields: ['Label'] }));
  },
};

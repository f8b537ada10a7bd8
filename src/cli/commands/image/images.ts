// `berth images` / `berth image ls`: Docker's table, -q, --digests, --format, --filter.
import { encodeFilters } from '../../../api/filters.ts';
import { bool, list, str, type Command } from '../../command.ts';
import { loadConfig } from '../../config-file.ts';
import { parseFilterFlags } from '../../filters-flag.ts';
import { IMAGE_HEADERS, IMAGES_TABLE, IMAGES_TABLE_DIGESTS, imageRows, type ApiImage } from '../../format/image-row.ts';
import { render } from '../../format/render.ts';

export const images: Command = {
  name: 'images', usage: '[OPTIONS] [REPOSITORY[:TAG]]', summary: 'List images', args: { max: 1 },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', help: 'Show all images (default hides intermediate images)' },
    { name: 'digests', kind: 'bool', help: 'Show digests' },
    { name: 'filter', short: 'f', kind: 'list', help: 'Filter output based on conditions provided' },
    { name: 'format', kind: 'string', help: 'Format output using a custom template' },
    { name: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
    { name: 'quiet', short: 'q', kind: 'bool', help: 'Only show image IDs' },
    { name: 'tree', kind: 'bool', help: 'List multi-platform images as a tree (EXPERIMENTAL)' },
  ],
  async run(ctx, f, args) {
    const filters = parseFilterFlags(list(f, 'filter'));
    if (args[0]) (filters.reference ??= []).push(args[0]);
    const items = await ctx.client.call<ApiImage[]>('ImageList', {
      query: { all: bool(f, 'all') || undefined, filters: Object.keys(filters).length ? encodeFilters(filters) : undefined },
    });
    const quiet = bool(f, 'quiet');
    const digests = bool(f, 'digests');
    let format = str(f, 'format') || (!quiet && loadConfig(ctx.configDir).imagesFormat) || 'table';
    if (format === 'table') format = quiet ? '{{.ID}}' : digests ? IMAGES_TABLE_DIGESTS : IMAGES_TABLE;
    const rows = imageRows(items, { trunc: !bool(f, 'no-trunc'), digests: digests || /\.Digest\b/.test(format), now: Date.now() });
    ctx.out(render(rows, { format, defaultTable: IMAGES_TABLE, headers: IMAGE_HEADERS }));
  },
};

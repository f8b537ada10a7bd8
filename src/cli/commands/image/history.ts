// `berth history [-H] [--no-trunc] [-q] [--format] IMAGE`
import { bool, str, type Command } from '../../command.ts';
import { ellipsis, truncateId } from '../../format/container-row.ts';
import { humanDuration, humanSize } from '../../format/human-units.ts';
import { render } from '../../format/render.ts';
import { isoTime } from '../../../sys/iso-time.ts';

interface HistoryItem { Id: string; Created: number; CreatedBy: string; Tags?: string[] | null; Size: number; Comment: string }

const TABLE = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
const HEADERS = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

export const history: Command = {
  name: 'history', usage: '[OPTIONS] IMAGE', summary: 'Show the history of an image', args: { min: 1, max: 1 },
  flags: [
    { name: 'format', kind: 'string', help: 'Format output using a custom template' },
    { name: 'human', short: 'H', kind: 'bool', default: true, help: 'Print sizes and dates in human readable format' },
    { name: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
    { name: 'quiet', short: 'q', kind: 'bool', help: 'Only show image IDs' },
  ],
  async run(ctx, f, [name]) {
    const items = await ctx.client.call<HistoryItem[]>('ImageHistory', { params: { name } });
    const trunc = !bool(f, 'no-trunc');
    const human = f.human !== false;
    const now = Date.now();
    const rows = items.map((h) => {
      const by = h.CreatedBy.replace(/\t/g, ' ');
      const created = new Date(h.Created * 1000);
      return {
        ID: h.Id === '<missing>' ? h.Id : trunc ? truncateId(h.Id) : h.Id,
        CreatedSince: human ? `${humanDuration(Math.max(0, now - h.Created * 1000))} ago` : isoTime(created).replace(/\.\d+Z$/, 'Z'),
        CreatedAt: isoTime(created).replace(/\.\d+Z$/, 'Z'),
        CreatedBy: trunc ? ellipsis(by, 45) : by,
        Size: human ? humanSize(h.Size) : String(h.Size),
        Comment: h.Comment,
      };
    });
    let format = str(f, 'format') || 'table';
    if (format === 'table' && bool(f, 'quiet')) format = '{{.ID}}';
    ctx.out(render(rows, { format, defaultTable: TABLE, headers: HEADERS }));
  },
};

// `berth volume create|ls|inspect|rm|prune`, as the docker CLI prints them.
import { encodeFilters } from '../../../api/filters.ts';
import { invalidArgument } from '../../../errors/errors.ts';
import { bool, list, str, type Command } from '../../command.ts';
import { parseFilterFlags } from '../../filters-flag.ts';
import { humanSize } from '../../format/human-units.ts';
import { render } from '../../format/render.ts';
import { confirm } from '../../prompt.ts';
import { inspectObjects } from '../container/inspect.ts';
import { forEachContainer } from '../container/for-each.ts';
import { keyValues } from '../../key-values.ts';

interface ApiVolume { Name: string; Driver: string; Mountpoint: string; Scope: string; Labels?: Record<string, string> | null; UsageData?: { Size: number; RefCount: number } | null }

const TABLE = 'table {{.Driver}}\t{{.Name}}';
const HEADERS = { Name: 'VOLUME NAME', Driver: 'DRIVER', Scope: 'SCOPE', Mountpoint: 'MOUNTPOINT', Labels: 'LABELS', Links: 'LINKS', Size: 'SIZE', Availability: 'AVAILABILITY', Group: 'GROUP', Status: 'STATUS' };

const create: Command = {
  name: 'create', usage: '[OPTIONS] [VOLUME]', summary: 'Create a volume', args: { max: 1 },
  flags: [
    { name: 'driver', short: 'd', kind: 'string', default: 'local', help: 'Specify volume driver name' },
    { name: 'label', kind: 'list', help: 'Set metadata for a volume' },
    { name: 'name', kind: 'string', help: 'Specify volume name' },
    { name: 'opt', short: 'o', kind: 'list', help: 'Set driver specific options' },
  ],
  async run(ctx, f, args) {
    const name = str(f, 'name');
    if (name && args[0]) throw invalidArgument('conflicting options: cannot specify a volume-name through both --name and as a positional arg');
    const v = await ctx.client.json<ApiVolume>('POST', '/volumes/create', {
      body: { Name: name || args[0] || '', Driver: str(f, 'driver') || 'local', DriverOpts: keyValues(list(f, 'opt')), Labels: keyValues(list(f, 'label')) },
    });
    ctx.out(`${v.Name}\n`);
  },
};

const ls: Command = {
  name: 'ls', aliases: ['list'], usage: '[OPTIONS]', summary: 'List volumes', args: { max: 0 },
  flags: [
    { name: 'cluster', kind: 'bool', help: 'Display only cluster volumes, and use cluster volume list formatting' },
    { name: 'filter', short: 'f', kind: 'list', help: 'Provide filter values (e.g. "dangling=true")' },
    { name: 'format', kind: 'string', help: 'Format output using a custom template' },
    { name: 'quiet', short: 'q', kind: 'bool', help: 'Only display volume names' },
  ],
  async run(ctx, f) {
    const filters = parseFilterFlags(list(f, 'filter'));
    const r = await ctx.client.json<{ Volumes?: ApiVolume[] | null; Warnings?: string[] | null }>('GET', '/volumes', { query: { filters: Object.keys(filters).length ? encodeFilters(filters) : undefined } });
    const rows = [...(r.Volumes ?? [])].sort((a, b) => a.Name.localeCompare(b.Name, undefined, { numeric: true })).map((v) => ({
      Name: v.Name, Driver: v.Driver, Scope: v.Scope, Mountpoint: v.Mountpoint,
      Labels: Object.entries(v.Labels ?? {}).map(([k, x]) => `${k}=${x}`).join(','), Label: (k: string) => v.Labels?.[k] ?? '',
      Links: v.UsageData ? String(v.UsageData.RefCount) : 'N/A', Size: v.UsageData && v.UsageData.Size >= 0 ? humanSize(v.UsageData.Size) : 'N/A',
      Availability: '', Group: '', Status: '',
    }));
    const format = bool(f, 'quiet') ? '{{.Name}}' : str(f, 'format') || 'table';
    ctx.out(render(rows, { format, defaultTable: TABLE, headers: HEADERS, goType: '*formatter.volumeContext', fields: ['Label'] }));
    for (const w of r.Warnings ?? []) ctx.err(`${w}\n`);
  },
};

const inspect: Command = {
  name: 'inspect', usage: '[OPTIONS] VOLUME [VOLUME...]', summary: 'Display detailed information on one or more volumes', args: { min: 1 },
  flags: [{ name: 'format', short: 'f', kind: 'string', help: 'Format output using a custom template' }],
  run: (ctx, f, args) => inspectObjects(ctx, args, ['volume'], str(f, 'format'), false, false),
};

const rm: Command = {
  name: 'rm', aliases: ['remove'], usage: '[OPTIONS] VOLUME [VOLUME...]', summary: 'Remove one or more volumes', args: { min: 1 },
  flags: [{ name: 'force', short: 'f', kind: 'bool', help: 'Force the removal of one or more volumes' }],
  run: (ctx, f, args) => forEachContainer(ctx, args, (name) => ctx.client.json('DELETE', `/volumes/${encodeURIComponent(name)}`, { query: { force: bool(f, 'force') || undefined } })),
};

const prune: Command = {
  name: 'prune', usage: '[OPTIONS]', summary: 'Remove unused local volumes', args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', help: 'Remove all unused volumes, not just anonymous ones' },
    { name: 'filter', kind: 'list', help: 'Provide filter values (e.g. "label=<label>")' },
    { name: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
  ],
  async run(ctx, f) {
    const all = bool(f, 'all');
    const warning = all ? 'WARNING! This will remove all local volumes not used by at least one container.' : 'WARNING! This will remove anonymous local volumes not used by at least one container.';
    if (!bool(f, 'force') && !(await confirm(ctx, warning))) return;
    const filters = parseFilterFlags(list(f, 'filter'));
    if (all) filters.all = ['true'];
    const r = await ctx.client.json<{ VolumesDeleted?: string[] | null; SpaceReclaimed?: number }>('POST', '/volumes/prune', { query: { filters: Object.keys(filters).length ? encodeFilters(filters) : undefined } });
    let out = '';
    if (r.VolumesDeleted?.length) out += `Deleted Volumes:\n${r.VolumesDeleted.join('\n')}\n\n`;
    ctx.out(`${out}Total reclaimed space: ${humanSize(r.SpaceReclaimed ?? 0)}\n`);
  },
};

export const volumeCommands: Command[] = [create, inspect, ls, prune, rm];

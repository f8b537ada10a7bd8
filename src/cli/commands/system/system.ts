// `berth system df [-v] [--format]` and `berth system prune [-a] [-f]`.
import { bool, str, type Command } from '../../command.ts';
import { humanSize } from '../../format/human-units.ts';
import { render } from '../../format/render.ts';
import { confirm } from '../../prompt.ts';
import { containerPrune } from '../container/prune.ts';
import { imagePrune } from '../image/prune.ts';

interface Df {
  LayersSize?: number;
  Images?: { Size: number; SharedSize: number; Containers: number }[] | null;
  Containers?: { SizeRw?: number; State?: string }[] | null;
  Volumes?: { UsageData?: { Size: number; RefCount: number } | null }[] | null;
  BuildCache?: { Size: number; InUse: boolean; Shared: boolean }[] | null;
}

const TABLE = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
const HEADERS = { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' };
const hs = (n: number) => humanSize(n, 4);
const pct = (r: number, total: number) => (total > 0 ? `${hs(r)} (${Math.floor((r * 100) / total)}%)` : hs(r));

export function dfRows(d: Df): Record<string, string>[] {
  const images = d.Images ?? [];
  const total = d.LayersSize ?? 0;
  let used = 0;
  for (const i of images) if (i.Containers !== 0 && i.Size !== -1 && i.SharedSize !== -1) used += i.Size - i.SharedSize;
  const cs = d.Containers ?? [];
  const isActive = (s?: string) => s === 'running' || s === 'paused' || s === 'restarting';
  const cSize = cs.reduce((a, c) => a + (c.SizeRw ?? 0), 0);
  const cReclaim = cs.filter((c) => !isActive(c.State)).reduce((a, c) => a + (c.SizeRw ?? 0), 0);
  const vs = d.Volumes ?? [];
  const vSize = vs.reduce((a, v) => a + Math.max(0, v.UsageData?.Size ?? 0), 0);
  const vReclaim = vs.filter((v) => (v.UsageData?.RefCount ?? 0) === 0).reduce((a, v) => a + Math.max(0, v.UsageData?.Size ?? 0), 0);
  const bc = d.BuildCache ?? [];
  const bSize = bc.filter((b) => !b.Shared).reduce((a, b) => a + b.Size, 0);
  const bReclaim = bc.filter((b) => !b.Shared && !b.InUse).reduce((a, b) => a + b.Size, 0);
  return [
    { Type: 'Images', TotalCount: String(images.length), Active: String(images.filter((i) => i.Containers > 0).length), Size: hs(total), Reclaimable: pct(total - used, total) },
    { Type: 'Containers', TotalCount: String(cs.length), Active: String(cs.filter((c) => isActive(c.State)).length), Size: hs(cSize), Reclaimable: pct(cReclaim, cSize) },
    { Type: 'Local Volumes', TotalCount: String(vs.length), Active: String(vs.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length), Size: hs(vSize), Reclaimable: pct(vReclaim, vSize) },
    { Type: 'Build Cache', TotalCount: String(bc.length), Active: String(bc.filter((b) => b.InUse).length), Size: hs(bSize), Reclaimable: hs(bReclaim) },
  ];
}

export const systemDf: Command = {
  name: 'df', usage: '[OPTIONS]', summary: 'Show berth disk usage', args: { max: 0 },
  flags: [
    { name: 'format', kind: 'string', help: 'Format output using a custom template' },
    { name: 'verbose', short: 'v', kind: 'bool', help: 'Show detailed information on space usage' },
  ],
  async run(ctx, f) {
    const d = await ctx.client.call<Df>('SystemDataUsage');
    ctx.out(render(dfRows(d), { format: str(f, 'format') || 'table', defaultTable: TABLE, headers: HEADERS }));
  },
};

export const systemPrune: Command = {
  name: 'prune', usage: '[OPTIONS]', summary: 'Remove unused data', args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', kind: 'bool', help: 'Remove all unused images not just dangling ones' },
    { name: 'filter', kind: 'list', help: 'Provide filter values (e.g. "label=<key>=<value>")' },
    { name: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
  ],
  async run(ctx, f) {
    const what = ['all stopped containers', bool(f, 'all') ? 'all images without at least one container associated to them' : 'all dangling images'];
    if (!bool(f, 'force') && !(await confirm(ctx, `WARNING! This will remove:\n${what.map((w) => `  - ${w}`).join('\n')}\n`))) return;
    const forced = { ...f, force: true };
    await containerPrune.run(ctx, forced, []);
    await imagePrune.run(ctx, forced, []);
  },
};

// `berth top CONTAINER [ps OPTIONS]` and `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`.
import { StatusError } from '../../cli-error.ts';
import type { Command } from '../../command.ts';
import { tabwrite } from '../../format/tabwriter.ts';

export const top: Command = {
  name: 'top', usage: 'CONTAINER [ps OPTIONS]', summary: 'Display the running processes of a container', args: { min: 1 },
  interspersed: false, flags: [],
  async run(ctx, _f, [id, ...psArgs]) {
    const r = await ctx.client.call<{ Titles: string[]; Processes: string[][] }>('ContainerTop', {
      params: { id }, query: { ps_args: psArgs.length ? psArgs.join(' ') : undefined },
    });
    const lines = [r.Titles.join('\t'), ...(r.Processes ?? []).map((p) => p.join('\t'))];
    ctx.out(tabwrite(`${lines.join('\n')}\n`, { minwidth: 20, padding: 3 }));
  },
};

type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null>;

export const port: Command = {
  name: 'port', usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]', summary: 'List port mappings or a specific mapping for the container', args: { min: 1, max: 2 }, flags: [],
  async run(ctx, _f, [id, want]) {
    const c = await ctx.client.call<{ NetworkSettings?: { Ports?: PortMap | null } }>('ContainerInspect', { params: { id } });
    const ports = c.NetworkSettings?.Ports ?? {};
    const fmt = (b: { HostIp: string; HostPort: string }) => `${b.HostIp.includes(':') ? `[${b.HostIp}]` : b.HostIp || '0.0.0.0'}:${b.HostPort}`;
    if (want) {
      const key = want.includes('/') ? want : `${want}/tcp`;
      const binds = ports[key];
      if (!binds?.length) throw new StatusError(1, `Error: No public port '${key}' published for ${id}`);
      for (const b of binds) ctx.out(`${fmt(b)}\n`);
      return;
    }
    const keys = Object.keys(ports).sort((a, b) => parseInt(a) - parseInt(b) || (a < b ? -1 : 1));
    for (const k of keys) for (const b of ports[k] ?? []) ctx.out(`${k} -> ${fmt(b)}\n`);
  },
};

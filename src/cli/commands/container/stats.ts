// `berth stats [-a] [--no-stream] [--no-trunc] [--format] [CONTAINER...]`: one collector per
// container (a stats stream, or one sample with --no-stream), a table rendered every 500 ms —
// redrawn in place on a terminal as Docker does, printed as successive blocks otherwise.
import type { IncomingMessage } from 'node:http';
import { readJsonLines } from '../../../client/json-lines.ts';
import { StatusError } from '../../cli-error.ts';
import { bool, str, type CliContext, type Command } from '../../command.ts';
import { render } from '../../format/render.ts';
import { errorText } from './for-each.ts';
import { emptyEntry, statsRow, STATS_HEADERS, STATS_TABLE, toEntry, type StatsEntry, type StatsResponse } from './stats-entry.ts';

interface Collector { entry: StatsEntry; error?: unknown; first: Promise<void>; stop(): void }

function collect(ctx: CliContext, container: string, stream: boolean): Collector {
  let stopped = false;
  let res: IncomingMessage | undefined;
  let timer: NodeJS.Timeout | undefined;
  let release!: () => void;
  const c: Collector = { entry: emptyEntry(container), first: new Promise((r) => { release = r; }), stop: () => { stopped = true; clearTimeout(timer); res?.destroy(); } };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { // Docker: zeroed and invalid after 2 s without an update
      c.entry = { ...emptyEntry(container), name: c.entry.name, id: c.entry.id, invalid: true };
      c.error = new Error('timeout waiting for stats');
      release();
      if (stream) arm();
    }, 2000);
  };
  arm();
  void (async () => {
    try {
      res = await ctx.client.stream('ContainerStats', { params: { id: container }, query: { stream: stream ? '1' : '0' } });
      res.on('error', () => { /* ended by stop() */ });
      if (stopped) { res.destroy(); return; }
      for await (const v of readJsonLines<StatsResponse>(res)) {
        c.entry = toEntry(container, v);
        c.error = undefined;
        release();
        if (!stream) break;
        arm();
      }
      if (stream) c.entry = { ...c.entry, invalid: true };
    } catch (err) {
      if (!stopped) { c.error = err; c.entry = { ...c.entry, invalid: true }; }
    } finally {
      clearTimeout(timer);
      release();
    }
  })();
  return c;
}

export const stats: Command = {
  name: 'stats', usage: '[OPTIONS] [CONTAINER...]', summary: 'Display a live stream of container(s) resource usage statistics',
  flags: [
    { name: 'all', short: 'a', kind: 'bool', help: 'Show all containers (default shows just running)' },
    { name: 'format', kind: 'string', help: 'Format output using a custom template' },
    { name: 'no-stream', kind: 'bool', help: 'Disable streaming stats and only pull the first result' },
    { name: 'no-trunc', kind: 'bool', help: 'Do not truncate output' },
  ],
  async run(ctx, f, names) {
    const stream = !bool(f, 'no-stream');
    const all = bool(f, 'all');
    const format = str(f, 'format') || 'table';
    const trunc = !bool(f, 'no-trunc');
    const cs = new Map<string, Collector>();
    const add = (id: string) => { if (!cs.has(id)) cs.set(id, collect(ctx, id, stream)); };
    const events = new AbortController();
    try {
      if (names.length) {
        for (const n of names) add(n);
        await Promise.all([...cs.values()].map((c) => c.first));
        const errs = [...cs.values()].filter((c) => c.error !== undefined).map((c) => errorText(c.error));
        if (errs.length) throw new StatusError(1, errs.join('\n'));
      } else {
        if (stream) void watchEvents(ctx, all, add, (id) => { cs.get(id)?.stop(); cs.delete(id); }, events.signal);
        const list = await ctx.client.call<{ Id: string }[]>('ContainerList', { query: { all: all || undefined } });
        for (const c of list) add(c.Id);
        await Promise.all([...cs.values()].map((c) => c.first));
      }
      const table = () => render([...cs.values()].map((c) => statsRow(c.entry, trunc)), { format, defaultTable: STATS_TABLE, headers: STATS_HEADERS });
      if (!stream) { ctx.out(table()); return; }
      const tty = ctx.io.stdout.isTTY === true;
      if (tty) ctx.out('\x1b[2J');
      for (;;) {
        const text = table();
        if (tty) ctx.out(`\x1b[H${text.split('\n').map((l, i, a) => (i === a.length - 1 ? l : `${l}\x1b[K`)).join('\n')}\x1b[J`);
        else ctx.out(text);
        if (names.length === 0 && cs.size === 0 && !all) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      events.abort();
      for (const c of cs.values()) c.stop();
    }
  },
};

/** Containers that start (and, without -a, die) while streaming the "all containers" view. */
async function watchEvents(ctx: CliContext, all: boolean, add: (id: string) => void, remove: (id: string) => void, signal: AbortSignal): Promise<void> {
  try {
    for await (const e of ctx.client.events({ filters: { type: ['container'] }, signal })) {
      const id = (e as { id?: string; Actor?: { ID?: string } }).Actor?.ID ?? (e as { id?: string }).id;
      if (!id) continue;
      if (e.Action === 'start' || (all && e.Action === 'create')) add(id);
      else if (e.Action === 'die' && !all) remove(id);
    }
  } catch { /* the view ends with the command */ }
}

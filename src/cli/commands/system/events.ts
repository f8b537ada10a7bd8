// `berth events [--since] [--until] [--filter] [--format]`: Docker's one-line rendering.
import { encodeFilters } from '../../../api/filters.ts';
import type { EventMessage } from '../../../api/system-types.ts';
import { list, str, type Command } from '../../command.ts';
import { parseFilterFlags } from '../../filters-flag.ts';
import { compileTemplate } from '../../format/go-template.ts';
import { goJson, preFormat } from '../../format/render.ts';
import { timestampArg } from '../../time-arg.ts';
import { isoTime } from '../../../sys/iso-time.ts';

/** Go's RFC3339NanoFixed in UTC: 2006-01-02T15:04:05.000000000Z */
export function rfc3339NanoFixed(timeNano: number | bigint): string {
  const ns = typeof timeNano === 'bigint' ? timeNano : BigInt(Math.round(timeNano));
  const sec = Number(ns / 1_000_000_000n);
  const frac = String(ns % 1_000_000_000n).padStart(9, '0');
  return `${isoTime(sec * 1000).slice(0, 19)}.${frac}Z`;
}

/** An event line parsed with timeNano kept exact (a bigint: nanoseconds exceed 2^53). */
export function parseEventLine(line: string): EventMessage {
  return JSON.parse(line, (k, v, ctx?: { source?: string }) => (k === 'timeNano' && ctx?.source ? BigInt(ctx.source) : v)) as EventMessage;
}

async function* eventLines(src: AsyncIterable<unknown>): AsyncGenerator<string> {
  let buf = '';
  for await (const c of src) {
    buf += String(c);
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield line;
    }
  }
  if (buf.trim()) yield buf.trim();
}

export function prettyEvent(e: EventMessage): string {
  let s = '';
  if (e.timeNano) s += `${rfc3339NanoFixed(e.timeNano)} `;
  else if (e.time) s += `${rfc3339NanoFixed(e.time * 1e9)} `;
  s += `${e.Type} ${e.Action} ${e.Actor?.ID ?? ''}`;
  const attrs = Object.keys(e.Actor?.Attributes ?? {}).sort();
  if (attrs.length) s += ` (${attrs.map((k) => `${k}=${e.Actor.Attributes[k]}`).join(', ')})`;
  return `${s}\n`;
}

export const events: Command = {
  name: 'events', usage: '[OPTIONS]', summary: 'Get real time events from the server', args: { max: 0 },
  flags: [
    { name: 'filter', short: 'f', kind: 'list', help: 'Filter output based on conditions provided' },
    { name: 'format', kind: 'string', help: 'Format output using a custom template' },
    { name: 'since', kind: 'string', help: 'Show all events created since timestamp' },
    { name: 'until', kind: 'string', help: 'Stream events until this timestamp' },
  ],
  async run(ctx, f) {
    const now = Date.now();
    const format = str(f, 'format');
    const tmpl = format ? compileTemplate(format === 'json' ? '{{json .}}' : preFormat(format, ''), { json: (v) => goJson(v) }) : undefined;
    const abort = new AbortController();
    const offs = [ctx.onSignal('SIGINT', () => abort.abort()), ctx.onSignal('SIGTERM', () => abort.abort())];
    const filters = parseFilterFlags(list(f, 'filter'));
    try {
      const res = await ctx.client.stream('SystemEvents', {
        query: {
          since: str(f, 'since') ? timestampArg(str(f, 'since'), now) : undefined,
          until: str(f, 'until') ? timestampArg(str(f, 'until'), now) : undefined,
          filters: Object.keys(filters).length ? encodeFilters(filters) : undefined,
        },
        signal: abort.signal,
      });
      res.setEncoding('utf8');
      for await (const line of eventLines(res)) {
        if (tmpl) ctx.out(`${tmpl.execute(parseEventLine(line))}\n`);
        else ctx.out(prettyEvent(parseEventLine(line)));
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    } finally {
      for (const off of offs) off();
    }
  },
};

// `berth save [-o FILE] IMAGE...` and `berth load [-i FILE] [-q]`: docker-archive tar streams.
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { readProgress } from '../../../client/json-lines.ts';
import { StatusError } from '../../cli-error.ts';
import { bool, str, type Command } from '../../command.ts';
import { ProgressRenderer } from '../../format/progress.ts';

export const save: Command = {
  name: 'save', usage: '[OPTIONS] IMAGE [IMAGE...]', summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)', args: { min: 1 },
  flags: [
    { name: 'output', short: 'o', kind: 'string', help: 'Write to a file, instead of STDOUT' },
    { name: 'platform', kind: 'list', help: 'Save only the given platform(s)' },
  ],
  async run(ctx, f, args) {
    const out = str(f, 'output');
    if (!out && ctx.io.stdout.isTTY) throw new StatusError(1, 'cowardly refusing to save to a terminal. Use the -o flag or redirect');
    const q = new URLSearchParams();
    for (const n of args) q.append('names', n);
    const res = await ctx.client.request('GET', `/images/get?${q}`);
    if (out) await pipeline(res, createWriteStream(out));
    else await pipeline(res, ctx.io.stdout, { end: false });
  },
};

export const load: Command = {
  name: 'load', usage: '[OPTIONS]', summary: 'Load an image from a tar archive or STDIN', args: { max: 0 },
  flags: [
    { name: 'input', short: 'i', kind: 'string', help: 'Read from tar archive file, instead of STDIN' },
    { name: 'quiet', short: 'q', kind: 'bool', help: 'Suppress the load output' },
  ],
  async run(ctx, f) {
    const input = str(f, 'input');
    if (!input && ctx.io.stdin.isTTY) throw new StatusError(1, 'requested load from stdin, but stdin is empty');
    const body = input ? createReadStream(input) : ctx.io.stdin;
    const quiet = bool(f, 'quiet') || !ctx.io.stdout.isTTY;
    const res = await ctx.client.stream('ImageLoad', { query: { quiet: quiet || undefined }, body, headers: { 'Content-Type': 'application/x-tar' } });
    const r = new ProgressRenderer(ctx.io.stdout.isTTY === true);
    for await (const m of readProgress(res)) ctx.out(r.render(m));
  },
};

// `berth export [-o FILE] CONTAINER`: the container's filesystem as a tar stream.
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StatusError } from '../../cli-error.ts';
import { str, type Command } from '../../command.ts';

export const exportContainer: Command = {
  name: 'export', usage: '[OPTIONS] CONTAINER', summary: "Export a container's filesystem as a tar archive", args: { min: 1, max: 1 },
  flags: [{ name: 'output', short: 'o', kind: 'string', help: 'Write to a file, instead of STDOUT' }],
  async run(ctx, f, [id]) {
    const out = str(f, 'output');
    if (!out && ctx.io.stdout.isTTY) throw new StatusError(1, 'cowardly refusing to save to a terminal. Use the -o flag or redirect');
    const res = await ctx.client.stream('ContainerExport', { params: { id } });
    if (!out) { await pipeline(res, ctx.io.stdout, { end: false }); return; }
    // As Docker's CopyToFile: a temporary file next to the target, renamed into place.
    const tmp = join(dirname(out), `.${basename(out)}.berth-${process.pid}`);
    try {
      await pipeline(res, createWriteStream(tmp));
      renameSync(tmp, out);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  },
};

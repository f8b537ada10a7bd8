// `berth logs [-f] [--tail N] [-t] [--since] [--until] [--details] CONTAINER`
import { pipeline } from 'node:stream/promises';
import { demuxStream } from '../../../client/stdcopy-demux.ts';
import { bool, str, type Command } from '../../command.ts';
import { timestampArg } from '../../time-arg.ts';

export const logs: Command = {
  name: 'logs', usage: '[OPTIONS] CONTAINER', summary: 'Fetch the logs of a container', args: { min: 1, max: 1 },
  flags: [
    { name: 'details', kind: 'bool', help: 'Show extra details provided to logs' },
    { name: 'follow', short: 'f', kind: 'bool', help: 'Follow log output' },
    { name: 'since', kind: 'string', help: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { name: 'tail', short: 'n', kind: 'string', default: 'all', help: 'Number of lines to show from the end of the logs' },
    { name: 'timestamps', short: 't', kind: 'bool', help: 'Show timestamps' },
    { name: 'until', kind: 'string', help: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
  async run(ctx, f, [name]) {
    const c = await ctx.client.call<{ Id: string; Config: { Tty: boolean } }>('ContainerInspect', { params: { id: name } });
    const now = Date.now();
    const res = await ctx.client.stream('ContainerLogs', {
      params: { id: c.Id },
      query: {
        stdout: true, stderr: true, follow: bool(f, 'follow') || undefined, timestamps: bool(f, 'timestamps') || undefined,
        details: bool(f, 'details') || undefined, tail: str(f, 'tail') || 'all',
        since: str(f, 'since') ? timestampArg(str(f, 'since'), now) : undefined,
        until: str(f, 'until') ? timestampArg(str(f, 'until'), now) : undefined,
      },
    });
    if (c.Config.Tty) await pipeline(res, ctx.io.stdout, { end: false });
    else await demuxStream(res, ctx.io.stdout, ctx.io.stderr);
  },
};

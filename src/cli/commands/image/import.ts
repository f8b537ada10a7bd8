// `berth import [-c CHANGE] [-m MSG] file|URL|- [REPOSITORY[:TAG]]`: prints the new image id.
import { createReadStream } from 'node:fs';
import { readProgress } from '../../../client/json-lines.ts';
import { list, str, type Command } from '../../command.ts';
import { familiarName, parseRef, withDefaultTag } from '../../reference.ts';

export const importImage: Command = {
  name: 'import', usage: '[OPTIONS] file|URL|- [REPOSITORY[:TAG]]', summary: 'Import the contents from a tarball to create a filesystem image', args: { min: 1, max: 2 },
  flags: [
    { name: 'change', short: 'c', kind: 'list', help: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', kind: 'string', help: 'Set commit message for imported image' },
    { name: 'platform', kind: 'string', help: 'Set platform if server is multi-platform capable' },
  ],
  async run(ctx, f, [src, ref]) {
    const q = new URLSearchParams();
    const isUrl = /^https?:\/\//.test(src);
    q.set('fromSrc', isUrl ? src : '-');
    if (ref) {
      const r = withDefaultTag(parseRef(ref));
      q.set('repo', familiarName(r));
      if (r.tag) q.set('tag', r.tag);
    }
    if (str(f, 'message')) q.set('message', str(f, 'message'));
    if (str(f, 'platform')) q.set('platform', str(f, 'platform'));
    for (const c of list(f, 'change')) q.append('changes', c);
    const body = isUrl ? undefined : src === '-' ? ctx.io.stdin : createReadStream(src);
    const res = await ctx.client.request('POST', `/images/create?${q}`, { body, headers: body ? { 'Content-Type': 'application/x-tar' } : undefined });
    for await (const m of readProgress(res)) if (m.status) ctx.out(`${m.status}\n`);
  },
};

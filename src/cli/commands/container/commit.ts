// `berth commit [-a] [-c CHANGE] [-m MSG] [-p] CONTAINER [REPOSITORY[:TAG]]`: prints the image id.
import { invalidArgument } from '../../../errors/errors.ts';
import { bool, list, str, type Command } from '../../command.ts';
import { familiarName, parseRef } from '../../reference.ts';

export const commit: Command = {
  name: 'commit', usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]', summary: "Create a new image from a container's changes", args: { min: 1, max: 2 },
  flags: [
    { name: 'author', short: 'a', kind: 'string', help: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'change', short: 'c', kind: 'list', help: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', kind: 'string', help: 'Commit message' },
    { name: 'pause', short: 'p', kind: 'bool', default: true, help: 'Pause container during commit (default true)' },
  ],
  async run(ctx, f, [id, ref]) {
    const q = new URLSearchParams({ container: id });
    if (ref) {
      const r = parseRef(ref);
      if (r.digest) throw invalidArgument('refusing to create a tag with a digest reference');
      q.set('repo', familiarName(r));
      if (r.tag) q.set('tag', r.tag);
    }
    if (str(f, 'message')) q.set('comment', str(f, 'message'));
    if (str(f, 'author')) q.set('author', str(f, 'author'));
    for (const c of list(f, 'change')) q.append('changes', c);
    if (!bool(f, 'pause')) q.set('pause', '0');
    const r = await ctx.client.json<{ Id: string }>('POST', `/commit?${q}`, { body: null });
    ctx.out(`${r.Id}\n`);
  },
};

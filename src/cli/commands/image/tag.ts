// `berth tag SOURCE TARGET` and `berth rmi [-f] [--no-prune] IMAGE...`.
import { StatusError } from '../../cli-error.ts';
import { bool, type Command } from '../../command.ts';
import { familiarName, parseRef, withDefaultTag } from '../../reference.ts';

export const tag: Command = {
  name: 'tag', usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', args: { min: 2, max: 2 }, flags: [],
  async run(ctx, _f, [source, target]) {
    const r = parseRef(target);
    if (r.digest) throw new StatusError(1, 'refusing to create a tag with a digest reference');
    const t = withDefaultTag(r);
    await ctx.client.call('ImageTag', { params: { name: source }, query: { repo: familiarName(t), tag: t.tag } });
  },
};

// `berth pull [-a] [-q] [--platform] NAME[:TAG|@DIGEST]`
import { bool, str, type Command } from '../../command.ts';
import { pullImage } from './pull-image.ts';

export const pull: Command = {
  name: 'pull', usage: '[OPTIONS] NAME[:TAG|@DIGEST]', summary: 'Download an image from a registry', args: { min: 1, max: 1 },
  flags: [
    { name: 'all-tags', short: 'a', kind: 'bool', help: 'Download all tagged images in the repository' },
    { name: 'disable-content-trust', kind: 'bool', default: true, help: 'Skip image verification' },
    { name: 'platform', kind: 'string', help: 'Set platform if server is multi-platform capable' },
    { name: 'quiet', short: 'q', kind: 'bool', help: 'Suppress verbose output' },
  ],
  async run(ctx, f, [image]) {
    const ref = await pullImage(ctx, image, { out: ctx.io.stdout, quiet: bool(f, 'quiet'), platform: str(f, 'platform'), allTags: bool(f, 'all-tags') });
    ctx.out(`${ref}\n`);
  },
};

// `berth push [-q] NAME[:TAG]`: progress as Docker renders it, credentials from config.json.
import { readProgress } from '../../../client/json-lines.ts';
import { bool, type Command } from '../../command.ts';
import { loadConfig, registryAuthHeader } from '../../config-file.ts';
import { ProgressRenderer } from '../../format/progress.ts';
import { familiarName, parseRef } from '../../reference.ts';

export const push: Command = {
  name: 'push', usage: '[OPTIONS] NAME[:TAG]', summary: 'Upload an image to a registry', args: { min: 1, max: 1 },
  flags: [
    { name: 'all-tags', short: 'a', kind: 'bool', help: 'Push all tags of an image to the repository' },
    { name: 'disable-content-trust', kind: 'bool', default: true, help: 'Skip image signing' },
    { name: 'platform', kind: 'string', help: 'Push a platform-specific manifest' },
    { name: 'quiet', short: 'q', kind: 'bool', help: 'Suppress verbose output' },
  ],
  async run(ctx, f, [image]) {
    const r = parseRef(image);
    const tag = bool(f, 'all-tags') ? undefined : r.tag ?? (r.digest ? undefined : 'latest');
    const res = await ctx.client.stream('ImagePush', {
      params: { name: familiarName(r) }, query: { tag },
      headers: { 'X-Registry-Auth': registryAuthHeader(loadConfig(ctx.configDir), r.domain) },
    });
    const render = new ProgressRenderer(ctx.io.stdout.isTTY === true);
    const quiet = bool(f, 'quiet');
    for await (const m of readProgress(res)) if (!quiet) ctx.out(render.render(m));
    if (quiet) ctx.out(`${image}\n`);
  },
};

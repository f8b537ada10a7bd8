// Pulls through POST /images/create with the credentials of config.json, rendering progress as
// Docker does (redrawn lines on a terminal, status lines otherwise) to the given stream.
import { readProgress } from '../../../client/json-lines.ts';
import type { CliContext, TtyOut } from '../../command.ts';
import { loadConfig, registryAuthHeader } from '../../config-file.ts';
import { ProgressRenderer } from '../../format/progress.ts';
import { familiarName, parseRef, withDefaultTag, fullString } from '../../reference.ts';

export interface PullOptions { out: TtyOut; quiet?: boolean; platform?: string; allTags?: boolean }

/** Returns the normalized reference pulled ("docker.io/library/busybox:latest"). */
export async function pullImage(ctx: CliContext, image: string, o: PullOptions): Promise<string> {
  const parsed = parseRef(image);
  const ref = o.allTags ? parsed : withDefaultTag(parsed);
  const res = await ctx.client.stream('ImageCreate', {
    query: { fromImage: familiarName(ref), tag: ref.digest ?? ref.tag, platform: o.platform || undefined },
    headers: { 'X-Registry-Auth': registryAuthHeader(loadConfig(ctx.configDir), ref.domain) },
  });
  const r = new ProgressRenderer(o.out.isTTY === true);
  for await (const m of readProgress(res)) {
    if (o.quiet) continue;
    const text = r.render(m);
    if (text) o.out.write(text);
  }
  return fullString(ref);
}

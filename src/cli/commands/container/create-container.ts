// Docker's createContainer: POST /containers/create, and when the image is missing (and --pull
// allows) "Unable to find image 'x:latest' locally", a pull with progress on stderr, and a retry.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { StatusError } from '../../cli-error.ts';
import { bool, str, type CliContext } from '../../command.ts';
import type { FlagValues } from '../../flags/parse-flags.ts';
import { familiarString, parseRef, withDefaultTag } from '../../reference.ts';
import { pullImage } from '../image/pull-image.ts';
import { buildCreate, type CreateRequest } from './create-body.ts';

export function createRequest(ctx: CliContext, f: FlagValues, args: string[], detach: boolean): CreateRequest {
  return buildCreate(f, args, { env: ctx.io.env, readFile: (p) => readFileSync(p, 'utf8') }, detach);
}

const isMissingImage = (err: unknown) => (err as { status?: number }).status === 404 && /No such image/i.test((err as Error).message);

export async function createContainer(ctx: CliContext, req: CreateRequest, f: FlagValues): Promise<string> {
  const pullPolicy = str(f, 'pull') || 'missing';
  if (!['always', 'missing', 'never'].includes(pullPolicy)) throw new StatusError(125, `invalid pull option: '${pullPolicy}': must be one of "always", "missing" or "never"`);
  const cidfile = str(f, 'cidfile');
  if (cidfile && existsSync(cidfile)) throw new StatusError(125, `container ID file found, make sure the other container isn't running or delete ${cidfile}`);
  const pull = () => pullImage(ctx, req.image, { out: ctx.io.stderr, quiet: bool(f, 'quiet'), platform: req.platform });
  if (pullPolicy === 'always') await pull();
  const create = () => ctx.client.call<{ Id: string; Warnings?: string[] | null }>('ContainerCreate', {
    query: { name: req.name, platform: req.platform }, body: req.body,
  });
  let res;
  try {
    res = await create();
  } catch (err) {
    if (!isMissingImage(err) || pullPolicy !== 'missing') throw err;
    let shown = req.image;
    try { shown = familiarString(withDefaultTag(parseRef(req.image))); } catch { /* as given */ }
    ctx.err(`Unable to find image '${shown}' locally\n`);
    await pull();
    res = await create();
  }
  for (const w of res.Warnings ?? []) ctx.err(`WARNING: ${w}\n`);
  if (cidfile) writeFileSync(cidfile, res.Id);
  return res.Id;
}

// `berth inspect` (containers, then images) and `berth container|image inspect`: Docker's
// indented JSON array, or one --format rendering per object; not-found errors after the output.
import { StatusError } from '../../cli-error.ts';
import { bool, str, type CliContext, type Command } from '../../command.ts';
import { compileTemplate, TemplateFieldError } from '../../format/go-template.ts';
import { CONTAINER_INSPECT } from '../../format/go-types.ts';
import { errorText } from './for-each.ts';

export type InspectKind = 'container' | 'image' | 'network' | 'volume';

async function fetch(ctx: CliContext, kind: InspectKind, ref: string, size: boolean): Promise<unknown> {
  if (kind === 'container') return ctx.client.call('ContainerInspect', { params: { id: ref }, query: { size: size || undefined } });
  if (kind === 'network') return ctx.client.json('GET', `/networks/${encodeURIComponent(ref)}`);
  if (kind === 'volume') return ctx.client.json('GET', `/volumes/${encodeURIComponent(ref)}`);
  return ctx.client.call('ImageInspect', { params: { name: ref } });
}

const notFound = (err: unknown) => (err as { status?: number }).status === 404;

export async function inspectObjects(ctx: CliContext, refs: string[], kinds: InspectKind[], format: string, size: boolean, generic: boolean): Promise<void> {
  const found: { data: unknown; kind: InspectKind }[] = [];
  const errors: string[] = [];
  for (const ref of refs) {
    let got: unknown;
    let lastErr: unknown;
    let lastKind: InspectKind = kinds[0];
    for (const k of kinds) {
      lastKind = k;
      try { got = await fetch(ctx, k, ref, size); break; } catch (err) {
        lastErr = err;
        if (!notFound(err)) break;
      }
    }
    if (got !== undefined) found.push({ data: got, kind: lastKind });
    else if (generic && notFound(lastErr)) errors.push(`Error: No such object: ${ref}`);
    else errors.push(errorText(lastErr));
  }
  if (format) {
    const f = format === 'json' ? '{{json .}}' : format.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
    const t = compileTemplate(f);
    // Containers print as the docker CLI's Go types do ({{.State}} → {running true ...}).
    // A field an object does not have: the docker CLI retries on the raw JSON with
    // missingkey=error and reports that (inspector.go, tryRawInspectFallback), for every kind.
    for (const o of found) {
      try {
        ctx.out(`${t.execute(o.data, o.kind === 'container' ? CONTAINER_INSPECT : undefined, { strict: 'map' })}\n`);
      } catch (e) {
        if (!(e instanceof TemplateFieldError)) throw e;
        ctx.out('\n'); // the docker CLI flushes an empty line before its error
        throw new StatusError(1, `template parsing error: template: :${e.line}:${e.col}: executing "" at <${e.node}>: map has no entry for key "${e.field}"`);
      }
    }
  } else {
    ctx.out(`${JSON.stringify(found.map((o) => o.data), null, 4)}\n`);
  }
  if (errors.length) throw new StatusError(1, errors.join('\n'));
}

const flags = [
  { name: 'format', short: 'f', kind: 'string' as const, help: 'Format output using a custom template' },
  { name: 'size', short: 's', kind: 'bool' as const, help: 'Display total file sizes' },
];

export const inspect: Command = {
  name: 'inspect', usage: '[OPTIONS] NAME|ID [NAME|ID...]', summary: 'Return low-level information on Docker objects', args: { min: 1 },
  flags: [...flags, { name: 'type', kind: 'string', help: 'Only inspect objects of the given type' }],
  async run(ctx, f, args) {
    const type = str(f, 'type');
    if (type && !['container', 'image', 'network', 'volume'].includes(type)) throw new StatusError(1, `"${type}" is not a valid value for --type`);
    const kinds: InspectKind[] = type ? [type as InspectKind] : ['container', 'image', 'network', 'volume'];
    await inspectObjects(ctx, args, kinds, str(f, 'format'), bool(f, 'size'), !type);
  },
};

export const containerInspect: Command = {
  name: 'inspect', usage: '[OPTIONS] CONTAINER [CONTAINER...]', summary: 'Display detailed information on one or more containers', args: { min: 1 }, flags,
  run: (ctx, f, args) => inspectObjects(ctx, args, ['container'], str(f, 'format'), bool(f, 'size'), false),
};

export const imageInspect: Command = {
  name: 'inspect', usage: '[OPTIONS] IMAGE [IMAGE...]', summary: 'Display detailed information on one or more images', args: { min: 1 },
  flags: [flags[0]],
  run: (ctx, f, args) => inspectObjects(ctx, args, ['image'], str(f, 'format'), false, false),
};

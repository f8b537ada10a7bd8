// @pure
// Docker's formatter.Context: a --format string is "table", "table <tmpl>", "json", "raw" or a
// Go template. Table output runs the template on a header object first and aligns the lot with
// tabwriter; other formats print one rendering per item, each followed by a newline.
import { compileTemplate, TemplateFieldError, type TemplateFn } from './go-template.ts';
import { StatusError } from '../cli-error.ts';
import { tabwrite } from './tabwriter.ts';

export interface RenderSpec {
  /** The --format value (empty: the command's default). */
  format: string;
  /** The template `table` alone stands for, without the `table ` prefix. */
  defaultTable: string;
  /** Field → column header (Docker's header map). */
  headers: Record<string, string>;
  /** Used by `--format json`: the object to marshal for an item. */
  toJson?: (item: unknown) => unknown;
  funcs?: Record<string, TemplateFn>;
  /** The docker CLI's Go type of a row (e.g. `*formatter.ContainerContext`): a field it does not
   *  have (not in `headers`, nor `fields`) is its template error, not "<no value>". */
  goType?: string;
  fields?: readonly string[];
}

export function isTable(format: string): boolean {
  return format.startsWith('table');
}

/** Docker's preFormat: strip `table`, trim spaces, turn `\t`/`\n` escapes into characters. */
export function preFormat(format: string, defaultTable: string): string {
  let f = format === 'table' ? defaultTable : format;
  if (f.startsWith('table')) f = f.slice('table'.length);
  else if (f === 'json') f = '{{json .}}';
  f = f.replace(/^ +| +$/g, '');
  return f.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}

export function render(items: readonly unknown[], spec: RenderSpec): string {
  const format = spec.format || 'table';
  const tmpl = compileTemplate(preFormat(format, spec.defaultTable), {
    ...spec.funcs,
    json: (v: unknown) => goJson(spec.toJson && items.includes(v) ? spec.toJson(v) : v),
  });
  const strict = spec.goType ? new Set([...Object.keys(spec.headers), ...(spec.fields ?? [])]) : undefined;
  const run = (item: unknown) => {
    try {
      return tmpl.execute(item, undefined, { strict });
    } catch (e) {
      if (!(e instanceof TemplateFieldError)) throw e;
      throw new StatusError(1, `failed to execute template: template: :${e.line}:${e.col}: executing "" at <${e.node}>: can't evaluate field ${e.field} in type ${spec.goType}`);
    }
  };
  let body = '';
  for (const item of items) body += `${run(item)}\n`;
  if (!isTable(format)) return body;
  const header = tmpl.execute(new Proxy({}, { get: (_t, k) => (typeof k === 'string' ? spec.headers[k] ?? k.toUpperCase() : undefined) }));
  return tabwrite(`${header}\n${body}`);
}

/** Go's json.Marshal: like JSON.stringify, with <, >, & escaped as Go does. */
export function goJson(v: unknown): string {
  const raw = (JSON as unknown as { rawJSON(s: string): unknown }).rawJSON;
  return (JSON.stringify(v ?? null, (_k, x: unknown) => (typeof x === 'bigint' ? raw(String(x)) : x)) ?? 'null').replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Bundles the shipped binaries with esbuild (start-up time matters for a CLI).
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const REPO = join(import.meta.dirname, '..');

const entries: Record<string, string> = {
  'berth-runtime': 'src/runtime/cli/main.ts',
  berth: 'src/cli/main.ts',
  berthd: 'src/daemon/main.ts',
};

// A bundled CommonJS dependency (dns-packet) require()s Node built-ins. `createRequire` would
// boot the CommonJS loader (~2.5 MiB RSS for a small script); process.getBuiltinModule hands a built-in over
// without it, and the real require is made only if something else is ever asked for.
export const BANNER = "const require = (id) => process.getBuiltinModule(id) ?? process.getBuiltinModule('node:module').createRequire(import.meta.url)(id);";

const BUILTIN = new RegExp(`^(node:.*|${builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/\//g, '\\/')).join('|')})$`);
const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * Node built-ins as small ESM modules over process.getBuiltinModule. A real ESM `import` of a
 * built-in evaluates every lazy getter of its namespace (node:fs its streams and promises,
 * node:crypto webcrypto and its key classes...), loading internal modules nobody asked for; here
 * only plain properties are exported. Importing a getter property by name fails the build ("No
 * matching export"): read it off the default export where it is used instead. (Idle berthd:
 * ~0.4 MiB; more for commands that import little.)
 */
export const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: BUILTIN }, (a) => ({ path: a.path.startsWith('node:') ? a.path : `node:${a.path}`, namespace: 'builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => {
      const m = process.getBuiltinModule(a.path) as Record<string, unknown> | undefined;
      if (!m) return { errors: [{ text: `no built-in ${a.path}` }] };
      const plain = Object.getOwnPropertyNames(m).filter((k) => IDENT.test(k) && k !== 'default' && !Object.getOwnPropertyDescriptor(m, k)!.get);
      const contents = `const m = process.getBuiltinModule(${JSON.stringify(a.path)});\nexport default m;\n` + (plain.length ? `export const { ${plain.join(', ')} } = m;\n` : '');
      return { contents, loader: 'js' };
    });
  },
};

/** The worker_threads entry of a large layer's apply (src/image/layer/apply-thread.ts starts it). */
const LAYER_WORKER = 'src/image/layer/apply-worker.ts';

/**
 * The esbuild options of one binary: `dist/<name>.mjs` plus `dist/chunks/<name>-*.mjs`. Splitting
 * keeps what a command imports lazily (the registry server behind `berth registry serve`, the
 * image service's pull/push/load/save, the embedded DNS...) and the Node built-ins it needs out of
 * the start-up path. `name` may differ from the binary's (benchmarks bundle a private copy).
 * Binaries that apply layers (berthd) also get `dist/chunks/<name>-layer-worker.mjs`, the worker
 * entry, whose file name is compiled in as BERTH_LAYER_WORKER (found next to the code that starts it).
 */
export function bundleOptions(name: string, entry: string, outdir = join(REPO, 'dist'), layerWorker = entry === entries.berthd): BuildOptions {
  const worker = `${name}-layer-worker`;
  return {
    entryPoints: { [name]: join(REPO, entry), ...(layerWorker ? { [`chunks/${worker}`]: join(REPO, LAYER_WORKER) } : {}) },
    define: { BERTH_LAYER_WORKER: layerWorker ? JSON.stringify(`${worker}.mjs`) : 'undefined' },
    outdir,
    splitting: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: `chunks/${name}-[name]-[hash]`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: 'linked',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: BANNER },
    plugins: [lazyBuiltins],
  };
}

const COMMENT_LINE = /^\s*(\/\/|\/\*|\*)/;

/**
 * Builds one binary, then replaces the non-ASCII characters esbuild keeps in comments (`→` in a
 * JSDoc line) with `?`. V8 holds a script's source as long as the script lives, and one
 * character beyond Latin-1 makes it a two-byte string: twice the memory (~0.5 MiB for berthd).
 * esbuild already escapes them in strings and regexps (charset ascii); same length, so the
 * source map stays right.
 */
export async function bundle(opts: BuildOptions): Promise<void> {
  const r = await build({ ...opts, write: false });
  for (const f of r.outputFiles) {
    let text = f.text;
    if (f.path.endsWith('.mjs') && /[^\x00-\x7f]/.test(text)) {
      text = text.split('\n').map((l) => (COMMENT_LINE.test(l) ? l.replace(/[^\x00-\x7f]/g, '?') : l)).join('\n');
    }
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, text);
  }
}

/** Bundles berthd as `dist/<name>.mjs` with its chunks (benchmarks): returns its path. */
export async function bundleDaemon(name: string): Promise<string> {
  await bundle(bundleOptions(name, entries.berthd));
  return join(REPO, 'dist', `${name}.mjs`);
}

/** Removes what bundleDaemon(name) wrote. */
export function removeBundle(name: string): void {
  const dist = join(REPO, 'dist');
  for (const f of [`${name}.mjs`, `${name}.mjs.map`]) rmSync(join(dist, f), { force: true });
  for (const f of existsSync(join(dist, 'chunks')) ? readdirSync(join(dist, 'chunks')) : []) {
    if (f.startsWith(`${name}-`)) rmSync(join(dist, 'chunks', f), { force: true });
  }
}

if (import.meta.main) {
  // Chunk names carry content hashes: old ones would pile up.
  rmSync(join(REPO, 'dist', 'chunks'), { recursive: true, force: true });
  for (const [name, entry] of Object.entries(entries)) {
    if (existsSync(join(REPO, entry))) await bundle(bundleOptions(name, entry));
  }
}

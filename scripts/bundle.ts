// Bundles the shipped binaries with esbuild (start-up time matters for a CLI).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries: Record<string, string> = {
  'berth-runtime': 'src/runtime/cli/main.ts',
  berth: 'src/cli/main.ts',
  berthd: 'src/daemon/main.ts',
};

for (const [name, entry] of Object.entries(entries)) {
  if (!existsSync(entry)) continue;
  // Splitting keeps what a command imports lazily (e.g. the registry server behind `berth
  // registry serve`) and the Node built-ins it needs out of the start-up path.
  await build({
    entryPoints: { [name]: entry },
    outdir: 'dist',
    splitting: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: `chunks/${name}-[name]-[hash]`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: 'linked',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

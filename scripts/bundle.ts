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
  await build({
    entryPoints: [entry],
    outfile: `dist/${name}.mjs`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: 'linked',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

// Import-boundary check: imports flow downward only (see DESIGN.md), and files marked
// `// @pure` import nothing from `node:*`. Exits 1 listing every violation.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const SRC = join(ROOT, 'src');

// module -> modules it must never import
const FORBIDDEN: Record<string, string[]> = {
  runtime: ['image', 'container', 'network', 'volume', 'daemon', 'cli', 'client', 'registry', 'build', 'compose'],
  image: ['runtime', 'container', 'daemon', 'cli', 'client', 'network', 'volume', 'compose', 'build'],
  registry: ['runtime', 'container', 'daemon', 'cli', 'client', 'network', 'volume', 'compose', 'build'],
  native: ['runtime', 'image', 'container', 'daemon', 'cli', 'client', 'registry', 'network', 'volume'],
  sys: ['runtime', 'image', 'container', 'daemon', 'cli', 'client', 'registry', 'network', 'volume', 'compose', 'build'],
  errors: ['runtime', 'image', 'container', 'daemon', 'cli', 'client', 'registry', 'network', 'volume', 'compose', 'build', 'sys', 'native'],
  api: ['runtime', 'image', 'container', 'daemon', 'cli', 'client', 'registry', 'network', 'volume', 'compose', 'build', 'sys', 'native'],
  client: ['runtime', 'image', 'container', 'daemon', 'cli', 'registry', 'network', 'volume', 'compose', 'build', 'native'],
  cli: ['runtime', 'image', 'container', 'daemon', 'registry', 'network', 'volume', 'build', 'native'],
  compose: ['daemon', 'container', 'runtime', 'image', 'native'],
  container: ['daemon', 'cli', 'client', 'compose'],
  network: ['daemon', 'cli', 'client', 'container', 'compose', 'image'],
  volume: ['daemon', 'cli', 'client', 'container', 'compose', 'image'],
  build: ['daemon', 'cli', 'client', 'compose'],
};

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

/** Composition roots that may reach past the table: `berth registry serve` hosts the registry
 *  server in the CLI process (it needs no daemon), so the CLI's main wires it in. */
const ALLOWED: Record<string, string[]> = { 'cli/main.ts': ['registry/command.ts'] };

const IMPORT_RE = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
const problems: string[] = [];

for (const file of walk(SRC)) {
  const rel = relative(SRC, file);
  const mod = rel.split('/')[0];
  const text = readFileSync(file, 'utf8');
  const pure = /^\s*\/\/ @pure\b/m.test(text.split('\n').slice(0, 5).join('\n'));
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (pure && spec.startsWith('node:')) problems.push(`${rel}: @pure module imports ${spec}`);
    if (!spec.startsWith('.')) continue;
    const target = relative(SRC, resolve(dirname(file), spec));
    if (target.startsWith('..')) { problems.push(`${rel}: imports outside src: ${spec}`); continue; }
    const targetMod = target.split('/')[0];
    if (ALLOWED[rel]?.includes(target)) continue;
    if (targetMod !== mod && FORBIDDEN[mod]?.includes(targetMod) && !rel.endsWith('.test.ts')) {
      problems.push(`${rel}: ${mod}/ must not import ${targetMod}/ (${spec})`);
    }
  }
}

if (problems.length) {
  console.error(`import boundaries: ${problems.length} violation(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('import boundaries: ok');

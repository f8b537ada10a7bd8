// npm run bench [-- AREA ...]: runs bench/<area>.ts (each exports run()) and prints figures.
import { readdirSync } from 'node:fs';

const dir = import.meta.dirname;
const all = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'main.ts' && !f.startsWith('_')).map((f) => f.slice(0, -3));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; have: ${all.join(', ')}`);
  process.exit(2);
}
for (const area of wanted.length ? wanted : all) {
  console.log(`\n== ${area} ==`);
  const mod = (await import(`./${area}.ts`)) as { run: () => Promise<void> };
  await mod.run();
}

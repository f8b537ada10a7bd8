// Helpers for the layer tests: building tars with our writer, and a temp root with a sibling
// "outside" directory whose state must never change.
import { mkdtempSync, mkdirSync, readdirSync, lstatSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTar, type WriteEntry } from '../../src/image/tar/writer.ts';
import { makeHeader, type TarHeader } from '../../src/image/tar/header.ts';

export async function tarOf(entries: Array<Partial<TarHeader> & { name: string; data?: string | Uint8Array }>): Promise<Buffer> {
  const we: WriteEntry[] = entries.map(({ data, ...h }) => {
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    return { header: makeHeader({ ...h, size: body?.length ?? 0 }), body };
  });
  const parts: Buffer[] = [];
  for await (const c of writeTar(we)) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

export async function* chunks(b: Uint8Array, size = 4096): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

export interface Sandbox {
  base: string;
  root: string;
  outside: string;
  /** Names, types, modes, sizes, link counts and contents of everything in `outside`. */
  snapshot(): string;
  cleanup(): void;
}

export function sandbox(tag: string): Sandbox {
  const base = mkdtempSync(join(tmpdir(), `berth-test-${tag}-`));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  const snapshot = (): string => {
    const out: string[] = [];
    const walk = (d: string, rel: string): void => {
      for (const n of readdirSync(d).sort()) {
        const p = join(d, n);
        const st = lstatSync(p);
        const content = st.isFile() ? readFileSync(p, 'utf8') : '';
        out.push(`${rel}${n} ${st.mode.toString(8)} ${st.size} ${st.nlink} ${st.uid}:${st.gid} ${st.mtimeMs} ${content}`);
        if (st.isDirectory()) walk(p, `${rel}${n}/`);
      }
    };
    walk(outside, '');
    const top = readdirSync(base).sort().join(',');
    return `${top}\n${out.join('\n')}`;
  };
  return { base, root, outside, snapshot, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** Runs fn in a fresh sandbox, removed after. */
export async function withSandbox(tag: string, fn: (s: Sandbox) => Promise<void>): Promise<void> {
  const s = sandbox(tag);
  try {
    await fn(s);
  } finally {
    s.cleanup();
  }
}

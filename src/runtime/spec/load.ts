// Reads and checks a bundle: config.json and its root filesystem.
import { readFile, stat } from 'node:fs/promises';
import { resolve, isAbsolute } from 'node:path';
import { invalidArgument, notFound } from '../../errors/errors.ts';
import { validateSpec } from './validate.ts';
import type { Spec } from './types.ts';

export interface Bundle { dir: string; spec: Spec; rootfs: string }

export async function loadBundle(bundleDir: string): Promise<Bundle> {
  const dir = resolve(bundleDir);
  let text: string;
  try {
    text = await readFile(resolve(dir, 'config.json'), 'utf8');
  } catch (err) {
    throw notFound(`bundle ${dir}: cannot read config.json: ${(err as Error).message}`, err);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw invalidArgument(`bundle ${dir}: config.json is not valid JSON: ${(err as Error).message}`, err);
  }
  return bundleOf(dir, raw);
}

/**
 * A bundle from the config its caller has just written to `bundleDir` (berthd, which makes the
 * bundle at every start): checked as if read, without reading and parsing it back.
 */
export async function bundleOf(bundleDir: string, raw: unknown): Promise<Bundle> {
  const dir = resolve(bundleDir);
  const spec = validateSpec(raw);
  const rootfs = isAbsolute(spec.root!.path) ? spec.root!.path : resolve(dir, spec.root!.path);
  const st = await stat(rootfs).catch(() => undefined);
  if (!st) throw notFound(`bundle ${dir}: rootfs ${rootfs} does not exist`);
  if (!st.isDirectory()) throw invalidArgument(`bundle ${dir}: rootfs ${rootfs} is not a directory`);
  return { dir, spec, rootfs };
}

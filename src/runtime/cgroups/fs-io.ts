// Small file helpers for cgroup files (each value goes in one write(2), no O_CREAT).
import { readFile, writeFile, access } from 'node:fs/promises';
import { constants } from 'node:fs';

export const errno = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code;

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function readText(path: string): Promise<string> {
  return (await readFile(path, 'utf8')).trim();
}

/** The file's text, or undefined when the file does not exist. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readText(path);
  } catch (e) {
    if (errno(e) === 'ENOENT' || errno(e) === 'ENODEV' || errno(e) === 'EOPNOTSUPP') return undefined;
    throw e;
  }
}

export async function writeText(path: string, value: string): Promise<void> {
  await writeFile(path, value, { flag: constants.O_WRONLY | constants.O_TRUNC }); // no O_CREAT: a missing file is ENOENT
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// mount(8)/umount(8) for volumes with driver options, and mountinfo to tell what is mounted.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Mounter {
  mount(args: string[]): Promise<void>;
  unmount(target: string): Promise<void>;
  isMounted(target: string): Promise<boolean>;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountinfo(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

export const systemMounter: Mounter = {
  async mount(args) {
    try {
      await run('mount', args);
    } catch (e) {
      throw new Error((e as { stderr?: string }).stderr?.trim() || String(e), { cause: e });
    }
  },
  async unmount(target) {
    try {
      await run('umount', [target]);
    } catch (e) {
      throw new Error((e as { stderr?: string }).stderr?.trim() || String(e), { cause: e });
    }
  },
  async isMounted(target) {
    const info = await readFile('/proc/self/mountinfo', 'utf8');
    return info.split('\n').some((l) => l && unescapeMountinfo(l.split(' ')[4] ?? '') === target);
  },
};

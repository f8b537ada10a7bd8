// Mounts as containerd describes them (type, source, options), and their application with the
// system `mount`/`umount` (Node has no mount(2)).
//
// The overlay option string is limited to one page (4096 bytes, including the NUL). With many
// layers the absolute lowerdir list does not fit, so, as containerd does (compactLowerdirOption in
// mount_linux.go), every path is made relative to the longest common parent directory and the
// `mount` command runs with that directory as its working directory: the kernel resolves
// relative overlay paths against the mounting process's cwd. Our snapshot dirs are
// <root>/snapshots/<n>/fs, so a relative lower costs `<n>/fs:` (~8 bytes): about 500 layers fit.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { invalidArgument, wrap } from '../../errors/errors.ts';

export interface Mount {
  type: 'overlay' | 'bind';
  source: string;
  options: string[];
}

const run = promisify(execFile);
export const PAGE_LIMIT = 4095;

const PATH_OPTS = ['lowerdir=', 'upperdir=', 'workdir='];

function commonDir(paths: string[]): string {
  const split = paths.map((p) => p.split('/'));
  const first = split[0];
  let n = 0;
  while (n < first.length - 1 && split.every((s) => s.length > n + 1 && s[n] === first[n])) n++;
  return first.slice(0, n).join('/') || '/';
}

/** The `-o` string for a mount and the cwd to run `mount` in (undefined: absolute paths fit). */
export function mountOptions(m: Mount): { options: string; cwd?: string } {
  const options = m.options.join(',');
  if (m.type !== 'overlay' || options.length <= PAGE_LIMIT) return { options };
  const paths: string[] = [];
  for (const o of m.options) {
    const p = PATH_OPTS.find((x) => o.startsWith(x));
    if (p) paths.push(...o.slice(p.length).split(':'));
  }
  const cwd = commonDir(paths);
  const rel = (p: string): string => (cwd === '/' ? p.slice(1) : p.slice(cwd.length + 1));
  const compact = m.options.map((o) => {
    const p = PATH_OPTS.find((x) => o.startsWith(x));
    return p ? p + o.slice(p.length).split(':').map(rel).join(':') : o;
  }).join(',');
  if (compact.length > PAGE_LIMIT) throw invalidArgument(`overlay mount: options of ${compact.length} bytes exceed a page even with relative paths`);
  return { options: compact, cwd };
}

/** Applies the mounts in order onto `target` (a snapshot's Mount[] is one mount in practice). */
export async function mountAll(mounts: Mount[], target: string): Promise<void> {
  for (const m of mounts) {
    try {
      if (m.type === 'bind') {
        await run('mount', ['--bind', m.source, target]);
        if (m.options.includes('ro')) await run('mount', ['-o', 'remount,bind,ro', target]);
      } else {
        const { options, cwd } = mountOptions(m);
        await run('mount', ['-t', 'overlay', m.source, '-o', options, target], cwd ? { cwd } : {});
      }
    } catch (e) {
      throw wrap(`mount ${m.type} on ${target}`, new Error((e as { stderr?: string }).stderr?.trim() || String(e), { cause: e }));
    }
  }
}

export async function unmount(target: string, opts: { lazy?: boolean } = {}): Promise<void> {
  try {
    await run('umount', opts.lazy ? ['-l', target] : [target]);
  } catch (e) {
    throw wrap(`unmount ${target}`, new Error((e as { stderr?: string }).stderr?.trim() || String(e), { cause: e }));
  }
}

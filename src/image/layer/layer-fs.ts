// The filesystem operations Node lacks (mknod, setxattr, getxattr), done in batches by one
// process per layer: `sh` running `mknod` for device nodes, fifos and whiteouts, `setfattr
// --restore` and `getfattr --dump` (package `attr`) for xattrs. The native helper can take this
// over later behind the same interface.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { internal, wrap } from '../../errors/errors.ts';
import { encodeRestore, parseDump, type XattrItem } from './xattr-dump.ts';

export interface SpecialNode {
  path: string;
  kind: 'char' | 'block' | 'fifo';
  major: number;
  minor: number;
}

export interface LayerFs {
  /** Creates the nodes (mode 0600 at first; the caller sets owners and modes afterwards). */
  makeNodes(nodes: SpecialNode[]): Promise<void>;
  /** Sets xattrs without following symlinks. */
  setXattrs(items: XattrItem[]): Promise<void>;
  /** xattrs (matching the regex) of everything under root, without following symlinks. */
  dumpXattrs(root: string, match: string): Promise<Map<string, Map<string, Uint8Array>>>;
}

const run = promisify(execFile);

function withInput(cmd: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(internal(`${cmd} exited with ${code}: ${err.trim()}`))));
    p.stdin.on('error', () => { /* reported through close */ });
    p.stdin.end(input);
  });
}

const MKNOD_SCRIPT = 'set -e; while [ $# -gt 0 ]; do if [ "$2" = p ]; then mknod -m 600 -- "$1" p; else mknod -m 600 -- "$1" "$2" "$3" "$4"; fi; shift 4; done';

export const commandLayerFs: LayerFs = {
  async makeNodes(nodes) {
    const BATCH = 2000; // stay well under ARG_MAX
    for (let i = 0; i < nodes.length; i += BATCH) {
      const args: string[] = [];
      for (const n of nodes.slice(i, i + BATCH)) {
        args.push(n.path, n.kind === 'char' ? 'c' : n.kind === 'block' ? 'b' : 'p', String(n.major), String(n.minor));
      }
      try {
        await run('sh', ['-c', MKNOD_SCRIPT, 'mknod', ...args]);
      } catch (e) {
        throw wrap('mknod', e);
      }
    }
  },
  async setXattrs(items) {
    const text = encodeRestore(items);
    if (text === '') return;
    try {
      await withInput('setfattr', ['-h', '--restore=-'], text);
    } catch (e) {
      throw wrap('setfattr', e);
    }
  },
  async dumpXattrs(root, match) {
    try {
      const { stdout } = await run('getfattr', ['-R', '-P', '-h', '-d', '-e', 'hex', '-m', match, '--absolute-names', root],
        { maxBuffer: 1 << 28 });
      return parseDump(stdout);
    } catch (e) {
      throw wrap('getfattr', e);
    }
  },
};

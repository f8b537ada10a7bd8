// Test bundles: a busybox rootfs made once per checkout (scripts/fixtures/busybox-rootfs.sh)
// and a config.json per test, derived from the default spec.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultSpec } from '../../src/runtime/spec/default-spec.ts';
import type { Spec } from '../../src/runtime/spec/types.ts';
import { testName } from './requires.ts';

export const REPO = resolve(import.meta.dirname, '../..');
export const BUSYBOX_ROOTFS = join(REPO, '.fixtures', 'busybox', 'rootfs');

/** Makes (once) and returns the shared busybox rootfs. Containers mount it read-only. */
export function busyboxRootfs(): string {
  execFileSync('bash', [join(REPO, 'scripts/fixtures/busybox-rootfs.sh'), BUSYBOX_ROOTFS], { stdio: 'inherit' });
  return BUSYBOX_ROOTFS;
}

export interface TestBundle { dir: string; id: string; spec: Spec; write(): void; cleanup(): void }

/**
 * A bundle under /tmp/<testName>/ running `args` in busybox with a read-only root and a tmpfs
 * /tmp; `mutate` adjusts the spec. `writableRootfs` copies the rootfs into the bundle.
 */
export function makeBundle(tag: string, args: string[], mutate?: (s: Spec) => void, opts: { writableRootfs?: boolean } = {}): TestBundle {
  const id = testName(tag);
  const dir = join('/tmp', id);
  mkdirSync(dir, { recursive: true });
  const spec = defaultSpec({ args, terminal: false });
  spec.root = { path: busyboxRootfs(), readonly: true };
  if (opts.writableRootfs) {
    execFileSync('cp', ['-a', BUSYBOX_ROOTFS, join(dir, 'rootfs')]);
    spec.root = { path: 'rootfs', readonly: false };
  }
  spec.hostname = id.slice(0, 60);
  spec.mounts!.push({ destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'size=16m'] });
  spec.linux!.cgroupsPath = undefined;
  mutate?.(spec);
  const b: TestBundle = {
    dir, id, spec,
    write: () => writeFileSync(join(dir, 'config.json'), JSON.stringify(b.spec, null, 2)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  b.write();
  return b;
}

// Writes a container's OCI bundle: <dir>/config.json with root.path pointing at the rootfs
// (absolute, so the bundle dir need not contain it). The runtime reads it with loadBundle.
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { invalidArgument } from '../errors/errors.ts';
import type { Spec } from '../runtime/spec/types.ts';
import type { ContainerRecord } from './model.ts';

export interface BundleInput {
  record: Pick<ContainerRecord, 'ID' | 'Name' | 'Image'>;
  /** Bundle directory (e.g. <exec-root>/<id>). */
  dir: string;
  /** The assembled (mounted) rootfs. */
  rootfs: string;
  spec: Spec;
}

/** The bundle directory and the spec written in it. */
export function writeBundle(b: BundleInput): { dir: string; spec: Spec } {
  if (!isAbsolute(b.rootfs)) throw invalidArgument(`bundle rootfs must be absolute: ${b.rootfs}`);
  mkdirSync(b.dir, { recursive: true, mode: 0o711 });
  const spec: Spec = {
    ...b.spec,
    root: { path: b.rootfs, readonly: b.spec.root?.readonly ?? false },
    annotations: { ...(b.spec.annotations ?? {}), 'org.berth.container.id': b.record.ID, 'org.berth.container.name': b.record.Name.replace(/^\//, ''), 'org.berth.image': b.record.Image },
  };
  // The bundle lives in the exec root (a tmpfs) and is made anew at every start: written in
  // place, no fsync, no indent (the spec carries the seccomp profile, ~40 KB as one line).
  writeFileSync(join(b.dir, 'config.json'), JSON.stringify(spec), { mode: 0o600 });
  return { dir: b.dir, spec };
}

// @pure
// Where the container's cgroup goes (a name under the parents, or OCI linux.cgroupsPath)
// and which files say what; v1/v2 details live in plan-v1.ts and plan-v2.ts.
import type { Resources } from '../spec/types.ts';
import type { CgroupLayout, CgroupPlan } from './types.ts';
import { invalidArgument } from '../../errors/errors.ts';
import { components, joinPath } from './paths.ts';
import { validateResources } from './validate.ts';
import { planV1 } from './plan-v1.ts';
import { planV2 } from './plan-v2.ts';

function parentFor(parents: Record<string, string>, ctrls: string[]): string {
  for (const c of ctrls) if (parents[c]) return parents[c];
  return '/';
}

function build(layout: CgroupLayout, parents: Record<string, string>, rel: string[], absolute: boolean, res: Resources | undefined): CgroupPlan {
  if (res) validateResources(res);
  if (layout.mode === 'v2') {
    const base = absolute ? layout.root : joinPath(layout.root, parents[''] ?? '/');
    return planV2(layout, base, rel, res);
  }
  return planV1(layout, (ctrls, mount) => ({ base: absolute ? mount : joinPath(mount, parentFor(parents, ctrls)), rel }), res);
}

/** The container cgroup <mount>/<parent for that controller>/<name>. */
export function planCgroup(layout: CgroupLayout, parents: Record<string, string>, name: string, res: Resources | undefined): CgroupPlan {
  if (!name || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw invalidArgument(`cgroup name ${JSON.stringify(name)} is not a single path component`);
  }
  return build(layout, parents, [name], false, res);
}

/** OCI linux.cgroupsPath: absolute paths are relative to each hierarchy's root, relative
 *  ones lie beneath the parents. systemd's "slice:prefix:name" form is refused. */
export function planFromPath(layout: CgroupLayout, cgroupsPath: string, parents: Record<string, string>, res: Resources | undefined): CgroupPlan {
  if (/^[^/:]*:[^/:]*:[^/:]+$/.test(cgroupsPath)) {
    throw invalidArgument(`cgroupsPath ${JSON.stringify(cgroupsPath)}: systemd cgroup paths (slice:prefix:name) are not supported`);
  }
  if (cgroupsPath.includes('\0')) throw invalidArgument('cgroupsPath contains a NUL byte');
  const rel = components(cgroupsPath, 'cgroupsPath');
  if (!rel.length) throw invalidArgument(`cgroupsPath ${JSON.stringify(cgroupsPath)} names no cgroup`);
  return build(layout, parents, rel, cgroupsPath.startsWith('/'), res);
}

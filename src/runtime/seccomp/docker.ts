// @pure
// Docker's seccomp profile format (moby/profiles seccomp/types.go) and its resolution into a
// plain OCI profile for one container, as moby's profiles/seccomp setupSeccomp does: `archMap`
// picks the native architecture and its sub-architectures; a syscall group is kept when none of
// its `excludes` and all of its `includes` match (arches, caps in the bounding set, minKernel).
import { invalidArgument } from '../../errors/errors.ts';
import { scmpArchName } from './actions.ts';
import defaultProfile from './docker-default.json' with { type: 'json' };
import type { NativeArch, SeccompProfile, SeccompSyscall } from './types.ts';

export interface DockerSeccompFilter {
  caps?: string[];
  /** Docker's (Go-style) architecture names: amd64, x32, x86, arm64, arm, s390x, ppc64le, … */
  arches?: string[];
  /** "major.minor" */
  minKernel?: string;
}

export interface DockerSeccompSyscall extends SeccompSyscall {
  /** The older single-name form; exclusive with `names`. */
  name?: string;
  comment?: string;
  includes?: DockerSeccompFilter;
  excludes?: DockerSeccompFilter;
}

export interface DockerArchMap {
  architecture: string;
  subArchitectures: string[] | null;
}

export interface DockerSeccompProfile extends SeccompProfile {
  archMap?: DockerArchMap[];
  syscalls?: DockerSeccompSyscall[];
}

export interface ResolveOptions {
  /** The container's bounding capabilities, e.g. 'CAP_SYS_ADMIN' (the prefix may be left off). */
  caps: string[];
  arch: NativeArch;
  /** The host kernel's release (`uname -r`); when absent, every minKernel counts as met. */
  kernel?: string;
}

/** Docker's default profile (moby/profiles seccomp/default.json), its conditional parts included. */
export function dockerDefaultProfile(): DockerSeccompProfile {
  return structuredClone(defaultProfile) as DockerSeccompProfile;
}

/** Docker's name for the native architecture (Go's GOARCH), which `includes.arches` uses. */
const GO_ARCH: Record<NativeArch, string> = { x86_64: 'amd64', aarch64: 'arm64' };

export function resolveDockerProfile(profile: DockerSeccompProfile, opts: ResolveOptions): SeccompProfile {
  if ((profile.architectures?.length ?? 0) > 0 && (profile.archMap?.length ?? 0) > 0) {
    throw invalidArgument("seccomp: both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");
  }
  const caps = new Set(opts.caps.map(canonicalCap));
  const arch = GO_ARCH[opts.arch];
  const kernel = opts.kernel === undefined ? undefined : parseKernel(opts.kernel, 'kernel');

  const out: SeccompProfile = { defaultAction: profile.defaultAction };
  if (profile.defaultErrnoRet !== undefined) out.defaultErrnoRet = profile.defaultErrnoRet;
  if (profile.architectures?.length) out.architectures = [...profile.architectures];
  if (profile.flags?.length) out.flags = [...profile.flags];
  if (profile.listenerPath) out.listenerPath = profile.listenerPath;
  if (profile.listenerMetadata) out.listenerMetadata = profile.listenerMetadata;

  const native = scmpArchName(opts.arch);
  const mapped = (profile.archMap ?? []).find((m) => m.architecture === native);
  if (mapped) out.architectures = [mapped.architecture, ...(mapped.subArchitectures ?? [])];

  const meets = (min: string): boolean => {
    const want = parseKernel(min, 'minKernel');
    return kernel === undefined || kernel[0] > want[0] || (kernel[0] === want[0] && kernel[1] >= want[1]);
  };

  const syscalls: SeccompSyscall[] = [];
  for (const call of profile.syscalls ?? []) {
    let names = call.names ?? [];
    if (call.name) {
      if (names.length) throw invalidArgument("seccomp: both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
      names = [call.name];
    }
    const ex = call.excludes, inc = call.includes;
    if (ex) {
      if (ex.arches?.length && ex.arches.includes(arch)) continue;
      if (ex.caps?.length && ex.caps.some((c) => caps.has(c))) continue;
      if (ex.minKernel && meets(ex.minKernel)) continue;
    }
    if (inc) {
      if (inc.arches?.length && !inc.arches.includes(arch)) continue;
      if (inc.caps?.length && !inc.caps.every((c) => caps.has(c))) continue;
      if (inc.minKernel && !meets(inc.minKernel)) continue;
    }
    const s: SeccompSyscall = { names: [...names], action: call.action };
    if (call.errnoRet !== undefined) s.errnoRet = call.errnoRet;
    if (call.args?.length) s.args = call.args.map((a) => ({ ...a }));
    syscalls.push(s);
  }
  if (syscalls.length) out.syscalls = syscalls;
  return out;
}

function canonicalCap(c: string): string {
  const up = c.trim().toUpperCase();
  return up.startsWith('CAP_') ? up : `CAP_${up}`;
}

/** "6.1.0-18-amd64" or "4.8" → [major, minor]. */
function parseKernel(text: string, what: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(text.trim());
  if (!m) throw invalidArgument(`seccomp: invalid ${what} ${JSON.stringify(text)}`);
  return [Number(m[1]), Number(m[2])];
}

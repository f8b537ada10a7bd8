// @pure
// --security-opt parsing (moby daemon/create.go/container_operations parseSecurityOpt), the
// capability set (oci/caps TweakCapabilities) and the seccomp profile (profiles/seccomp
// WithSeccomp): Docker's default resolved for the container's caps, unconfined, or a custom JSON.
import { invalidArgument } from '../../errors/errors.ts';
import { CAPABILITIES, DOCKER_DEFAULT_CAPS, applyCapAddDrop } from '../../runtime/caps/index.ts';
import { dockerDefaultProfile, resolveDockerProfile, type DockerSeccompProfile, type NativeArch, type SeccompProfile } from '../../runtime/seccomp/index.ts';

export interface SecurityOptions {
  /** undefined: Docker's default profile; 'unconfined'; or a profile's JSON text. */
  seccomp?: string;
  apparmor?: string;
  noNewPrivileges: boolean;
  labels: string[];
  /** systempaths=unconfined: no masked/read-only paths. */
  systemPathsUnconfined: boolean;
  writableCgroups: boolean;
}

export function parseSecurityOpt(opts: readonly string[] | null | undefined, daemonNoNewPrivileges = false): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: daemonNoNewPrivileges, labels: [], systemPathsUnconfined: false, writableCgroups: false };
  for (const opt of opts ?? []) {
    if (opt === 'no-new-privileges') { out.noNewPrivileges = true; continue; }
    if (opt === 'disable') { out.labels.push('disable'); continue; }
    const eq = opt.indexOf('=');
    const sep = eq >= 0 ? eq : opt.indexOf(':'); // the deprecated "key:value" form
    if (sep < 0) throw invalidArgument(`Invalid --security-opt 1: "${opt}"`);
    const key = opt.slice(0, sep), value = opt.slice(sep + 1);
    const bool = () => {
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw invalidArgument(`invalid --security-opt 2: "${opt}"`);
    };
    switch (key) {
      case 'label': out.labels.push(value); break;
      case 'apparmor': out.apparmor = value; break;
      case 'seccomp': out.seccomp = value === 'builtin' ? undefined : value; break;
      case 'no-new-privileges': out.noNewPrivileges = bool(); break;
      case 'systempaths': if (value !== 'unconfined') throw invalidArgument(`invalid --security-opt 2: "${opt}"`); out.systemPathsUnconfined = true; break;
      case 'writable-cgroups': out.writableCgroups = bool(); break;
      default: throw invalidArgument(`invalid --security-opt 2: "${opt}"`);
    }
  }
  return out;
}

/**
 * The bounding/effective/permitted set: when privileged every capability the daemon itself holds
 * (`hostCaps`, its bounding set, as Docker's GetAllCapabilities), else Docker's defaults with
 * add/drop ("ALL" in cap-add likewise means the daemon's).
 */
export function containerCaps(privileged: boolean, add: readonly string[] | null | undefined, drop: readonly string[] | null | undefined, hostCaps?: readonly string[]): string[] {
  const all = hostCaps ?? CAPABILITIES;
  if (privileged) return [...all];
  const caps = applyCapAddDrop(DOCKER_DEFAULT_CAPS, add ?? [], drop ?? []);
  return hostCaps && (add ?? []).some((c) => c.trim().toUpperCase() === 'ALL') ? caps.filter((c) => all.includes(c)) : caps;
}

export interface SeccompFacts { arch: NativeArch; kernel?: string }

/** undefined = no filter (privileged, unconfined). */
export function containerSeccomp(privileged: boolean, sec: SecurityOptions, caps: readonly string[], facts: SeccompFacts): SeccompProfile | undefined {
  if (privileged || sec.seccomp === 'unconfined') return undefined;
  let profile: DockerSeccompProfile;
  if (sec.seccomp === undefined) profile = dockerDefaultProfile();
  else {
    try {
      profile = JSON.parse(sec.seccomp) as DockerSeccompProfile;
    } catch (err) {
      throw invalidArgument(`Decoding seccomp profile failed: ${(err as Error).message}`, err);
    }
    if (typeof profile !== 'object' || profile === null || typeof profile.defaultAction !== 'string') {
      throw invalidArgument('Decoding seccomp profile failed: defaultAction is required');
    }
  }
  return resolveDockerProfile(profile, { caps: [...caps], arch: facts.arch, kernel: facts.kernel });
}

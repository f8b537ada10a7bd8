// @pure
// The process part of a plan: rlimits, identity, capabilities, seccomp and the exec itself,
// in the order the kernel needs (seccomp before dropping privileges unless no_new_privs).
import type { Op } from '../../native/protocol.gen.ts';
import { invalidArgument } from '../../errors/errors.ts';
import { capMask } from '../caps/index.ts';
import { compileSeccomp } from '../seccomp/index.ts';
import type { Process, Seccomp } from '../spec/types.ts';
import type { PlanFacts } from './facts.ts';
import { RLIMIT, RLIM_INFINITY } from './linux-flags.ts';

const toLimit = (v: number): bigint => (v < 0 || v >= Number.MAX_SAFE_INTEGER ? RLIM_INFINITY : BigInt(v));

export function planRlimits(proc: Process, facts: PlanFacts, warnings: string[]): Op[] {
  return (proc.rlimits ?? []).map((r) => {
    const resource = RLIMIT[r.type];
    if (resource === undefined) throw invalidArgument(`unknown rlimit type ${JSON.stringify(r.type)}`);
    let { soft, hard } = r;
    const max = facts.hardLimits[r.type];
    // Without CAP_SYS_RESOURCE (CI containers, nested setups) a hard limit cannot be raised:
    // clamp it to what the caller has and say so, rather than failing the container.
    if (!facts.canRaiseLimits && max !== undefined && max >= 0 && hard > max) {
      warnings.push(`rlimit ${r.type}: hard limit ${hard} lowered to the host's ${max} (no CAP_SYS_RESOURCE)`);
      hard = max;
      soft = Math.min(soft, max);
    }
    return { op: 'rlimit', resource, soft: toLimit(soft), hard: toLimit(hard) } satisfies Op;
  });
}

function seccompOp(seccomp: Seccomp | undefined, facts: PlanFacts): Op[] {
  if (!seccomp) return [];
  const { filter, flags } = compileSeccomp(seccomp as Parameters<typeof compileSeccomp>[0], facts.arch);
  return [{ op: 'seccomp', filter, flags }];
}

export interface ProcessPlanOptions { gate: boolean; init: boolean; consoleFd?: number }

/** Everything from the session set-up to the exec, for both container init and exec processes. */
export function planProcess(proc: Process, seccomp: Seccomp | undefined, facts: PlanFacts, opts: ProcessPlanOptions, warnings: string[]): Op[] {
  const ops: Op[] = [...planRlimits(proc, facts, warnings), { op: 'setsid' }];
  if (proc.terminal) {
    if (opts.consoleFd === undefined) throw invalidArgument('process.terminal is set but no console socket was given');
    ops.push({ op: 'pty', consoleFd: opts.consoleFd, rows: proc.consoleSize?.height ?? 24, cols: proc.consoleSize?.width ?? 80 });
  }
  ops.push({ op: 'closeFds', first: 3 }, { op: 'umask', mask: proc.user.umask ?? 0o022 });
  const filter = seccompOp(seccomp, facts);
  if (!proc.noNewPrivileges) ops.push(...filter);
  ops.push({ op: 'user', uid: proc.user.uid, gid: proc.user.gid, groups: proc.user.additionalGids ?? [] });
  const c = proc.capabilities;
  if (c) {
    const permitted = capMask(c.permitted ?? []), inheritable = capMask(c.inheritable ?? []);
    // The kernel raises an ambient capability only if it is permitted and inheritable; runc
    // warns and goes on, and so do we.
    const wanted = capMask(c.ambient ?? []);
    const ambient = wanted & permitted & inheritable;
    if (ambient !== wanted) warnings.push('ambient capabilities not in both the permitted and inheritable sets are not raised');
    ops.push({
      op: 'caps', bounding: capMask(c.bounding ?? []), effective: capMask(c.effective ?? []),
      permitted, inheritable, ambient,
    });
  }
  if (proc.noNewPrivileges) ops.push({ op: 'noNewPrivs' });
  ops.push({ op: 'chdir', path: proc.cwd });
  return ops;
}

/** The last ops: startContainer hooks, no_new_privs seccomp, the optional init, the exec. */
export function planExec(proc: Process, seccomp: Seccomp | undefined, facts: PlanFacts, opts: ProcessPlanOptions, hooks: Op[]): Op[] {
  const ops: Op[] = [...hooks];
  if (proc.noNewPrivileges) ops.push(...seccompOp(seccomp, facts));
  // Shown as Docker's init shows itself (ps in the container, docker top).
  if (opts.init) ops.push({ op: 'init', name: 'docker-init', argv: ['/sbin/docker-init', '--', ...proc.args] });
  ops.push({ op: 'exec', argv: proc.args, env: proc.env ?? [], gate: opts.gate ? 1 : 0 });
  return ops;
}

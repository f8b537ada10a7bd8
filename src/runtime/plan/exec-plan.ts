// @pure
// The op list for a process started inside a running container (`exec`): join the
// container's namespaces (pid before the fork, the rest in the child, user first), then
// the same process set-up as the container's own init.
import type { Op } from '../../native/protocol.gen.ts';
import type { Process, Seccomp } from '../spec/types.ts';
import type { PlanFacts } from './facts.ts';
import { CLONE, NS_FLAG, NS_PROC_NAME } from './linux-flags.ts';
import { planProcess, planExec } from './process.ts';
import { CONSOLE_TO_MONITOR, type MonitorIo } from './create-plan.ts';

export interface ExecPlanInput {
  containerPid: number;
  /** The monitor holds the process's stdio (as for containers; see the io op). */
  io?: MonitorIo;
  /** With a gate, the process waits at exec until a byte arrives on this fifo. */
  gateFifo?: string;
  namespaces: string[];   // namespace types (OCI names) the container does not share with the host
  process: Process;
  seccomp?: Seccomp;
  exitFile: string;
  consoleFd?: number;
}

export function planExecProcess(input: ExecPlanInput, facts: PlanFacts): { ops: Op[]; warnings: string[] } {
  const warnings: string[] = [];
  const nsPath = (t: string) => `/proc/${input.containerPid}/ns/${NS_PROC_NAME[t]}`;
  const ops: Op[] = [];
  const io = input.io;
  if (io) ops.push({ op: 'io', logPath: io.logPath, maxSize: BigInt(io.maxSize), maxFiles: io.maxFiles, attachPath: io.attachPath, flags: (io.tty ? 1 : 0) | (io.openStdin ? 2 : 0) });
  if (input.namespaces.includes('pid')) ops.push({ op: 'setns', path: nsPath('pid'), nstype: CLONE.NEWPID });
  ops.push({ op: 'clone', flags: 0n, exitFile: input.exitFile, gateFifo: input.gateFifo ?? '' });
  const order = ['user', 'cgroup', 'ipc', 'uts', 'network', 'mount', 'time'];
  for (const t of order) if (input.namespaces.includes(t)) ops.push({ op: 'setns', path: nsPath(t), nstype: NS_FLAG[t] });
  ops.push({ op: 'sync', name: 'setup' });
  const opts = { gate: !!input.gateFifo, init: false, consoleFd: io?.tty ? CONSOLE_TO_MONITOR : input.consoleFd };
  ops.push(...planProcess(input.process, input.seccomp, facts, opts, warnings));
  ops.push(...planExec(input.process, input.seccomp, facts, opts, []));
  return { ops, warnings };
}

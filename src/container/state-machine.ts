// @pure
// Which operations a container's state allows, with Docker's error texts (moby daemon/errors.go,
// start.go, kill.go, pause.go, unpause.go, delete.go, exec.go, rename.go), and the transitions
// themselves as functions returning a new ContainerState. The service (not here) does the work;
// it asks `check*` first and records the outcome with a transition.
import { BerthError, conflict } from '../errors/errors.ts';
import { type ContainerState, type Status, ZERO_TIME, statusOf } from './model.ts';

/** Docker answers 304 Not Modified for these; the daemon maps the `notModified` flag. */
export class NotModifiedError extends BerthError {
  readonly notModified = true;
  constructor(message: string) {
    super('FailedPrecondition', message);
  }
}

export const errNotRunning = (id: string) => conflict(`Container ${id} is not running`);
export const errIsRestarting = (id: string) => conflict(`Container ${id} is restarting, wait until the container is running`);
export const errAlreadyPaused = (id: string) => conflict(`Container ${id} is already paused`);
export const errNotPaused = (id: string) => conflict(`Container ${id} is not paused`);
export const errExecPaused = (id: string) => conflict(`Container ${id} is paused, unpause the container before exec`);
export const errPausedStopKill = (id: string) => conflict(`Container ${id} is paused. Unpause the container before stopping or killing`);

/** start: running → 304; paused, removing, dead → 409. */
export function checkStart(s: ContainerState): void {
  if (s.Paused) throw conflict('cannot start a paused container, try unpause instead');
  if (s.Running) throw new NotModifiedError('Container is already started');
  if (s.RemovalInProgress || s.Dead) throw conflict('container is marked for removal and cannot be started');
}

/** stop: not running → 304 (Docker: "Container is already stopped"). A paused container may be stopped (the service unpauses after the signal). */
export function checkStop(s: ContainerState): void {
  if (!s.Running) throw new NotModifiedError('Container is already stopped');
}

/** kill: only running containers (paused ones too: SIGKILL goes through, others need unpausing). */
export function checkKill(id: string, s: ContainerState): void {
  if (!s.Running) throw errNotRunning(id);
}

export function checkPause(id: string, s: ContainerState): void {
  if (!s.Running) throw errNotRunning(id);
  if (s.Paused) throw errAlreadyPaused(id);
  if (s.Restarting) throw errIsRestarting(id);
}

export function checkUnpause(id: string, s: ContainerState): void {
  if (!s.Paused) throw errNotPaused(id);
}

export function checkExec(id: string, s: ContainerState): void {
  if (!s.Running) throw errNotRunning(id);
  if (s.Paused) throw errExecPaused(id);
  if (s.Restarting) throw errIsRestarting(id);
}

/** attach / resize / top need a running container. */
export function checkRunning(id: string, s: ContainerState): void {
  if (!s.Running) throw errNotRunning(id);
}

/**
 * rm: `shownName` is what the message quotes (Docker quotes the stored name "/x").
 * Without force a running, paused or restarting container is a conflict; a removal already in
 * progress is always one.
 */
export function checkRemove(shownName: string, s: ContainerState, force: boolean): void {
  if (s.RemovalInProgress) throw conflict(`removal of container ${shownName.replace(/^\//, '')} is already in progress`);
  if (!s.Running || force) return;
  const st = statusOf(s);
  if (st === 'paused') throw conflict(`cannot remove container "${shownName}": container is paused and must be unpaused first`);
  throw conflict(`cannot remove container "${shownName}": container is ${st}: stop the container before removing or force remove`);
}

/** Statuses from which `docker container prune` removes. */
export const PRUNABLE: readonly Status[] = ['created', 'exited', 'dead'];

// ---- transitions (each returns a new state) ----

export function toRunning(s: ContainerState, pid: number, now: string): ContainerState {
  const next: ContainerState = { ...s, Running: true, Paused: false, Restarting: false, RemovalInProgress: false, Dead: false, OOMKilled: false, Pid: pid, ExitCode: 0, Error: '', StartedAt: now };
  if (s.Health) next.Health = { Status: 'starting', FailingStreak: 0, Log: s.Health.Log };
  return next;
}

export interface ExitInfo { exitCode: number; oomKilled?: boolean; error?: string }

/** The process exited (or could not start: pass `error` and exit code 126/127/128). */
export function toStopped(s: ContainerState, exit: ExitInfo, now: string): ContainerState {
  const next: ContainerState = { ...s, Running: false, Paused: false, Restarting: false, Pid: 0, ExitCode: exit.exitCode, OOMKilled: exit.oomKilled ?? false, Error: exit.error ?? '', FinishedAt: now };
  if (s.Health) next.Health = { ...s.Health, Status: 'unhealthy' };
  return next;
}

/** A start that failed before the process ran: state stays created/exited but records the error. */
export function withStartError(s: ContainerState, error: string, exitCode: number): ContainerState {
  return { ...s, Error: error, ExitCode: exitCode };
}

export function toPaused(s: ContainerState): ContainerState {
  return { ...s, Paused: true };
}

export function toUnpaused(s: ContainerState): ContainerState {
  return { ...s, Paused: false };
}

/** The restart manager decided to restart after an exit: Running stays true, as in Docker. */
export function toRestarting(s: ContainerState, exit: ExitInfo, now: string): ContainerState {
  return { ...s, Running: true, Paused: false, Restarting: true, Pid: 0, ExitCode: exit.exitCode, OOMKilled: exit.oomKilled ?? false, Error: exit.error ?? '', FinishedAt: now };
}

/** Marks the removal; throws when one is already going on (the concurrent-rm guard). */
export function toRemoving(shownName: string, s: ContainerState): ContainerState {
  if (s.RemovalInProgress) throw conflict(`removal of container ${shownName.replace(/^\//, '')} is already in progress`);
  return { ...s, RemovalInProgress: true };
}

export function removalFailed(s: ContainerState): ContainerState {
  return { ...s, RemovalInProgress: false };
}

export function toDead(s: ContainerState): ContainerState {
  return { ...s, RemovalInProgress: false, Dead: true };
}

/**
 * After a daemon restart: the monitor says whether the process still runs. A container that was
 * running and is gone becomes exited with the code the monitor recorded (or 255 when unknown).
 */
export function reconcile(s: ContainerState, alive: boolean, exit: ExitInfo | undefined, now: string): ContainerState {
  if (s.RemovalInProgress) return { ...s, RemovalInProgress: false, Dead: true };
  if (!s.Running) return s;
  if (alive) return s;
  return toStopped(s, exit ?? { exitCode: 255 }, now);
}

export const neverFinished = (s: ContainerState): boolean => s.FinishedAt === ZERO_TIME;

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, statusOf, statusText, humanDuration, inspectState, containerIdFrom, rfc3339Nano, ZERO_TIME } from './model.ts';
import {
  checkStart, checkStop, checkKill, checkPause, checkUnpause, checkExec, checkRemove, NotModifiedError,
  toRunning, toStopped, toPaused, toUnpaused, toRestarting, toRemoving, toDead, reconcile,
} from './state-machine.ts';
import { BerthError } from '../errors/errors.ts';

const ID = 'a'.repeat(64);
const T0 = '2024-01-01T00:00:00Z';
const T1 = '2024-01-01T00:05:00Z';

function code(fn: () => void): [string, string] {
  try { fn(); } catch (e) { assert.ok(e instanceof BerthError); return [e.code, e.message]; }
  return ['', ''];
}

test('a new container is created with zero times', () => {
  const s = initialState();
  assert.equal(statusOf(s), 'created');
  assert.equal(s.StartedAt, ZERO_TIME);
  assert.equal(statusText(s, Date.now()), 'Created');
  assert.deepEqual(Object.keys(inspectState(s)), ['Status', 'Running', 'Paused', 'Restarting', 'OOMKilled', 'Dead', 'Pid', 'ExitCode', 'Error', 'StartedAt', 'FinishedAt']);
});

test('lifecycle: run, pause, unpause, exit, restart, remove', () => {
  let s = toRunning(initialState(), 42, T0);
  assert.equal(statusOf(s), 'running');
  assert.equal(statusText(s, Date.parse(T1)), 'Up 5 minutes');
  s = toPaused(s);
  assert.equal(statusOf(s), 'paused');
  assert.equal(statusText(s, Date.parse(T1)), 'Up 5 minutes (Paused)');
  s = toUnpaused(s);
  s = toStopped(s, { exitCode: 137, oomKilled: true }, T1);
  assert.equal(statusOf(s), 'exited');
  assert.equal(s.Pid, 0);
  assert.equal(s.OOMKilled, true);
  assert.equal(statusText(s, Date.parse(T1) + 3600_000), 'Exited (137) About an hour ago');
  s = toRestarting(s, { exitCode: 1 }, T1);
  assert.equal(statusOf(s), 'restarting');
  assert.equal(statusText(s, Date.parse(T1) + 2000), 'Restarting (1) 2 seconds ago');
  s = toStopped(s, { exitCode: 1 }, T1);
  s = toRemoving('/x', s);
  assert.equal(statusOf(s), 'removing');
  assert.throws(() => toRemoving('/x', s), /removal of container x is already in progress/);
  assert.equal(statusOf(toDead(s)), 'dead');
});

test('Docker error texts', () => {
  const running = toRunning(initialState(), 1, T0);
  const paused = toPaused(running);
  const exited = toStopped(running, { exitCode: 0 }, T1);
  assert.throws(() => checkStart(running), (e: unknown) => e instanceof NotModifiedError && e.message === 'Container is already started');
  assert.deepEqual(code(() => checkStart(paused)), ['Conflict', 'cannot start a paused container, try unpause instead']);
  assert.throws(() => checkStop(exited), NotModifiedError);
  assert.deepEqual(code(() => checkKill(ID, exited)), ['Conflict', `Container ${ID} is not running`]);
  assert.deepEqual(code(() => checkPause(ID, paused)), ['Conflict', `Container ${ID} is already paused`]);
  assert.deepEqual(code(() => checkUnpause(ID, running)), ['Conflict', `Container ${ID} is not paused`]);
  assert.deepEqual(code(() => checkExec(ID, paused)), ['Conflict', `Container ${ID} is paused, unpause the container before exec`]);
  assert.deepEqual(code(() => checkRemove('/x', running, false)), ['Conflict', 'cannot remove container "/x": container is running: stop the container before removing or force remove']);
  assert.deepEqual(code(() => checkRemove('/x', paused, false)), ['Conflict', 'cannot remove container "/x": container is paused and must be unpaused first']);
  checkRemove('/x', running, true);
  checkRemove('/x', exited, false);
  checkStart(exited);
  checkKill(ID, paused);
});

test('reconcile after a daemon restart', () => {
  const running = toRunning(initialState(), 1, T0);
  assert.equal(reconcile(running, true, undefined, T1), running);
  const gone = reconcile(running, false, { exitCode: 3 }, T1);
  assert.equal(statusOf(gone), 'exited');
  assert.equal(gone.ExitCode, 3);
  assert.equal(reconcile(running, false, undefined, T1).ExitCode, 255);
});

test('humanDuration as go-units', () => {
  assert.equal(humanDuration(500), 'Less than a second');
  assert.equal(humanDuration(1000), '1 second');
  assert.equal(humanDuration(59_000), '59 seconds');
  assert.equal(humanDuration(60_000), 'About a minute');
  assert.equal(humanDuration(45 * 60_000), '45 minutes');
  assert.equal(humanDuration(3 * 3600_000), '3 hours');
  assert.equal(humanDuration(3 * 86400_000), '3 days');
  assert.equal(humanDuration(20 * 86400_000), '2 weeks');
  assert.equal(humanDuration(90 * 86400_000), '3 months');
  assert.equal(humanDuration(800 * 86400_000), '2 years');
});

test('ids and times', () => {
  const bytes = new Uint8Array(32).fill(0xab);
  assert.equal(containerIdFrom(bytes), 'ab'.repeat(32));
  assert.equal(containerIdFrom(new Uint8Array(32).fill(0x11)), undefined); // all digits in the short id
  assert.equal(rfc3339Nano(new Date('2024-01-02T03:04:05.100Z')), '2024-01-02T03:04:05.1Z');
  assert.equal(rfc3339Nano(new Date('2024-01-02T03:04:05.000Z')), '2024-01-02T03:04:05Z');
  assert.equal(rfc3339Nano(new Date('2024-01-02T03:04:05.123Z'), 456789), '2024-01-02T03:04:05.123456789Z');
});

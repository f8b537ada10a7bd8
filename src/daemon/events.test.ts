import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventMatches, parseEventTime } from './event-filter.ts';
import { EventBus } from './events.ts';
import type { EventMessage } from '../api/system-types.ts';

const clock = () => { let t = 1_000_000_000_000_000_000n; return () => (t += 1_000_000_000n); };

test('publish fills Docker\'s fields, legacy ones for containers', () => {
  const bus = new EventBus({ nowNs: clock() });
  const ev = bus.publish({ Type: 'container', Action: 'start', Actor: { ID: 'abc', Attributes: { image: 'busybox', name: 'web' } } });
  assert.deepEqual(Object.keys(ev), ['status', 'id', 'from', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
  assert.equal(ev.from, 'busybox');
  assert.equal(ev.time, 1_000_000_001);
  const net = bus.publish({ Type: 'network', Action: 'connect', Actor: { ID: 'n' } });
  assert.equal(net.status, undefined);
});

test('subscribe: replay since/until, then live, ends at until', async () => {
  const bus = new EventBus();
  bus.publish({ Type: 'container', Action: 'create', Actor: { ID: 'a' } });
  bus.publish({ Type: 'image', Action: 'pull', Actor: { ID: 'busybox' } });
  // no since/until: nothing replayed (Docker)
  assert.deepEqual(bus.past(), []);
  const until = BigInt(Date.now()) * 1_000_000n + 200_000_000n;
  const got: string[] = [];
  const sub = (async () => { for await (const ev of bus.subscribe({ since: 0n, until })) got.push(ev.Action); })();
  await new Promise((r) => setTimeout(r, 20));
  bus.publish({ Type: 'container', Action: 'start', Actor: { ID: 'a' } });
  await sub;
  assert.deepEqual(got, ['create', 'pull', 'start']);
  assert.equal(bus.listenerCount, 0);
});

test('subscribe with until in the past returns only the past', async () => {
  const bus = new EventBus();
  bus.publish({ Type: 'container', Action: 'die', Actor: { ID: 'x' } });
  const got = [];
  for await (const ev of bus.subscribe({ since: 0n, until: BigInt(Date.now() + 1) * 1_000_000n - 1n })) got.push(ev);
  assert.equal(got.length, 1);
});

test('abort ends a live subscription; the buffer is bounded', async () => {
  const bus = new EventBus({ bufferSize: 3 });
  for (let i = 0; i < 5; i++) bus.publish({ Type: 'volume', Action: `a${i}`, Actor: { ID: 'v' } });
  assert.deepEqual(bus.past(0n).map((e) => e.Action), ['a2', 'a3', 'a4']);
  const ac = new AbortController();
  const it = bus.subscribe({ signal: ac.signal });
  const p = it.next();
  setTimeout(() => ac.abort(), 10);
  assert.deepEqual(await p, { value: undefined, done: true });
});

test('filters as Docker\'s', () => {
  const ev = (over: Partial<EventMessage>): EventMessage => ({ Type: 'container', Action: 'start', Actor: { ID: 'abcdef', Attributes: { name: 'web', image: 'busybox:latest', 'com.x': 'y' } }, scope: 'local', time: 0, timeNano: 0, ...over });
  assert.equal(eventMatches({}, ev({})), true);
  assert.equal(eventMatches({ type: ['container'] }, ev({})), true);
  assert.equal(eventMatches({ type: ['image'] }, ev({})), false);
  assert.equal(eventMatches({ container: ['abc'] }, ev({})), true);
  assert.equal(eventMatches({ container: ['web'] }, ev({})), true);
  assert.equal(eventMatches({ container: ['db'] }, ev({})), false);
  assert.equal(eventMatches({ event: ['start', 'stop'] }, ev({})), true);
  assert.equal(eventMatches({ event: ['exec_start'] }, ev({ Action: 'exec_start: sh -c true' })), true);
  assert.equal(eventMatches({ image: ['busybox'] }, ev({})), true);
  assert.equal(eventMatches({ image: ['alpine'] }, ev({})), false);
  assert.equal(eventMatches({ label: ['com.x'] }, ev({})), true);
  assert.equal(eventMatches({ label: ['com.x=y'] }, ev({})), true);
  assert.equal(eventMatches({ label: ['com.x=z'] }, ev({})), false);
  assert.equal(eventMatches({ scope: ['swarm'] }, ev({})), false);
});

test('event times: seconds with optional nanoseconds', () => {
  assert.equal(parseEventTime('0'), 0n);
  assert.equal(parseEventTime('12.5'), 12_500_000_000n);
  assert.equal(parseEventTime('12.000000001'), 12_000_000_001n);
  assert.equal(parseEventTime(''), undefined);
  assert.throws(() => parseEventTime('yesterday'), /invalid timestamp/);
});

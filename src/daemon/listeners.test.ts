import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupId, listenOn } from './listeners.ts';
import { silentLogger } from './logger.ts';
import { removePidfile, writePidfile } from './pidfile.ts';

const closeAll = (ss: Server[]) => Promise.all(ss.map((s) => new Promise((r) => (s.listening ? s.close(r) : r(undefined)))));

test('groupId reads /etc/group-style files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-group-'));
  try {
    writeFileSync(join(dir, 'group'), 'root:x:0:\nberth:x:998:alice,bob\n');
    assert.equal(groupId('berth', join(dir, 'group')), 998);
    assert.equal(groupId('docker', join(dir, 'group')), undefined);
    assert.equal(groupId('1234', join(dir, 'group')), 1234);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unix listeners: 0660, a stale socket is replaced, a live one refused, a regular file refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-listen-'));
  const servers: Server[] = [];
  try {
    const path = join(dir, 'sub', 'api.sock');
    const opts = { group: 'no-such-group-berth-test', groupExplicit: false, logger: silentLogger };
    const a = createServer(); servers.push(a);
    assert.equal(await listenOn(a, { kind: 'unix', path }, opts), `unix://${path}`);
    assert.equal(statSync(path).mode & 0o777, 0o660);
    const b = createServer(); servers.push(b);
    await assert.rejects(listenOn(b, { kind: 'unix', path }, opts), /another daemon is serving it/);
    // A socket file whose server is gone (SIGKILL leaves these): replaced.
    const stale = join(dir, 'stale.sock');
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.ok(statSync(stale).isSocket());
    const d = createServer(); servers.push(d);
    assert.equal(await listenOn(d, { kind: 'unix', path: stale }, opts), `unix://${stale}`);
    writeFileSync(join(dir, 'file'), '');
    await assert.rejects(listenOn(createServer(), { kind: 'unix', path: join(dir, 'file') }, opts), /not a socket/);
    const g = createServer(); servers.push(g);
    await assert.rejects(listenOn(g, { kind: 'unix', path: join(dir, 'g.sock') }, { ...opts, groupExplicit: true }), /group no-such-group-berth-test not found/);
    const t = createServer(); servers.push(t);
    assert.match(await listenOn(t, { kind: 'tcp', host: '127.0.0.1', port: 0 }, opts), /^tcp:\/\/127\.0\.0\.1:\d+$/);
  } finally {
    await closeAll(servers);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pidfile: refuses a live pid, takes over a dead one, removes only its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-pid-'));
  try {
    const p = join(dir, 'run', 'berthd.pid');
    writePidfile(p);
    assert.throws(() => writePidfile(p, 1), /pid file found, ensure berthd is not running or delete/);
    writeFileSync(p, '999999999');
    writePidfile(p);
    removePidfile(p, 1);
    assert.ok(statSync(p));
    removePidfile(p);
    assert.throws(() => statSync(p));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

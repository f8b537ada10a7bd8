// A terminal: the pty master goes to the console socket, the container sees a tty of the
// configured size as its controlling terminal.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { once } from 'node:events';
import { requires } from '../support/requires.ts';
import { makeBundle, type TestBundle } from '../support/bundle.ts';
import { makeRuntime } from '../support/runtime.ts';

const skip = requires('root', 'busybox', 'cgroup-v1');
const trt = skip ? undefined : makeRuntime();
const bundles: TestBundle[] = [];
after(async () => { await trt?.cleanup(); bundles.forEach((b) => b.cleanup()); });

test('a terminal with the configured size', { skip }, async () => {
  const b = makeBundle('tty', ['sh', '-c', 'stty size; tty; [ -t 0 ] && echo stdin-is-tty'], (s) => {
    s.process!.terminal = true;
    s.process!.consoleSize = { height: 33, width: 101 };
  });
  bundles.push(b);
  const sock = join(b.dir, 'console.sock');
  const recv = spawn('python3', [join(import.meta.dirname, '../support/recvtty.py'), sock], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  recv.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const closed = once(recv, 'close'); // made now: recvtty may be gone before run() returns
  try {
    while (!out.includes('ready')) await once(recv.stdout, 'data');
    const { exitCode } = await trt!.rt.run({ id: b.id, bundle: b.dir, consoleSocket: sock, stdio: ['ignore', 'ignore', 'ignore'] });
    assert.equal(exitCode, 0);
    await closed;
    const lines = out.replaceAll('\r', '').split('\n');
    assert.ok(lines.includes('33 101'), out);
    assert.ok(lines.some((l) => /^\/dev\/pts\/\d+$/.test(l)), out);
    assert.ok(lines.includes('stdin-is-tty'), out);
  } finally {
    if (recv.exitCode === null) recv.kill();
  }
});

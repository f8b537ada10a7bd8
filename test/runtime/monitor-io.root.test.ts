// The monitor holding a container's stdio (the io op): json-file logs with rotation, an attach
// socket with stdcopy-framed output, stdin and close-stdin frames, and a tty.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { requires } from '../support/requires.ts';
import { makeBundle, type TestBundle } from '../support/bundle.ts';
import { makeRuntime } from '../support/runtime.ts';

const skip = requires('root', 'busybox', 'cgroup-v1');
const trt = skip ? undefined : makeRuntime();
const bundles: TestBundle[] = [];
after(async () => { await trt?.cleanup(); bundles.forEach((b) => b.cleanup()); });

interface Frame { stream: number; data: string }

/** Reads stdcopy frames from the attach socket until it closes. */
function frames(sock: Socket): Promise<Frame[]> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const out: Frame[] = [];
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 8 && buf.length >= 8 + buf.readUInt32BE(4)) {
        const n = buf.readUInt32BE(4);
        out.push({ stream: buf[0], data: buf.subarray(8, 8 + n).toString() });
        buf = buf.subarray(8 + n);
      }
    });
    sock.on('close', () => resolve(out));
  });
}


function packet(type: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(data.length, 4);
  return Buffer.concat([h, data]);
}

async function started(b: TestBundle, io: { openStdin?: boolean; tty?: boolean; maxSize?: number; maxFiles?: number }) {
  const logPath = join(b.dir, 'ctr.log'), attachPath = join(b.dir, 'attach.sock');
  const { state } = await trt!.rt.create({
    id: b.id, bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'],
    io: { logPath, attachPath, maxSize: io.maxSize ?? 0, maxFiles: io.maxFiles ?? 1, tty: io.tty ?? false, openStdin: io.openStdin ?? false },
  });
  const sock = connect(attachPath);
  await once(sock, 'connect');
  const got = frames(sock);
  return { state, sock, got, logPath, exitFile: join(trt!.root, b.id, 'exit.json') };
}

const logLines = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { log: string; stream: string; time: string });

async function exitOf(path: string): Promise<{ exitCode: number }> {
  for (let i = 0; i < 200 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 20));
  return JSON.parse(readFileSync(path, 'utf8')) as { exitCode: number };
}

test('stdout and stderr reach the attach socket (stdcopy) and the json-file log', { skip }, async () => {
  const b = makeBundle('io', ['sh', '-c', 'echo out; echo err >&2; printf partial; exit 3']);
  bundles.push(b);
  const { got, logPath, exitFile } = await started(b, {});
  await trt!.rt.start(b.id);
  const fr = await got;
  assert.deepEqual(fr.filter((f) => f.stream === 1).map((f) => f.data).join(''), 'out\npartial');
  assert.deepEqual(fr.filter((f) => f.stream === 2).map((f) => f.data).join(''), 'err\n');
  assert.equal((await exitOf(exitFile)).exitCode, 3);
  const lines = logLines(logPath);
  assert.deepEqual(lines.map((l) => [l.stream, l.log]).sort(), [['stderr', 'err\n'], ['stdout', 'out\n'], ['stdout', 'partial']]);
  // Go's RFC3339Nano, as Docker writes it: the fraction's trailing zeros trimmed.
  for (const l of lines) assert.match(l.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,8}[1-9])?Z$/);
});

test('log lines are escaped byte for byte as Docker\'s json-file writes them', { skip }, async () => {
  // \n and \r short; other controls (tab too) as \u00XX; <, >, & as \u003c...; DEL and valid
  // UTF-8 as they are; U+2028 escaped; an invalid byte becomes \ufffd.
  const b = makeBundle('esc', ['printf', 'a\\tb\\r<&>"\\\\\\177é\\342\\200\\250\\377z\\n']);
  bundles.push(b);
  const { got, logPath, exitFile } = await started(b, {});
  await trt!.rt.start(b.id);
  await got;
  assert.equal((await exitOf(exitFile)).exitCode, 0);
  const raw = readFileSync(logPath, 'utf8').split('\n')[0];
  assert.equal(raw.slice(0, raw.indexOf(',"stream"')), String.raw`{"log":"a\u0009b\r\u003c\u0026\u003e\"\\` + '\x7f' + String.raw`é\u2028\ufffdz\n"`);
});

test('stdin frames reach the container; close-stdin gives it EOF', { skip }, async () => {
  const b = makeBundle('stdin', ['sh', '-c', 'cat; echo done']);
  bundles.push(b);
  const { sock, got, exitFile } = await started(b, { openStdin: true });
  await trt!.rt.start(b.id);
  sock.write(packet(0, Buffer.from('hello\n')));
  sock.write(packet(2, Buffer.alloc(0)));
  const fr = await got;
  assert.equal(fr.map((f) => f.data).join(''), 'hello\ndone\n');
  assert.equal((await exitOf(exitFile)).exitCode, 0);
});

test('a tty: the monitor holds the pty master; output is one stream', { skip }, async () => {
  const b = makeBundle('iotty', ['sh', '-c', 'stty size; [ -t 1 ] && echo tty']);
  b.spec.process!.terminal = true;
  b.spec.process!.consoleSize = { height: 20, width: 70 };
  b.write();
  bundles.push(b);
  const { got, logPath, exitFile } = await started(b, { tty: true });
  await trt!.rt.start(b.id);
  const fr = await got;
  assert.equal((await exitOf(exitFile)).exitCode, 0);
  assert.ok(fr.every((f) => f.stream === 1));
  assert.equal(fr.map((f) => f.data).join('').replaceAll('\r', ''), '20 70\ntty\n');
  assert.equal(logLines(logPath).map((l) => l.log).join('').replaceAll('\r', ''), '20 70\ntty\n');
});

test('a tty: the last output before the exit is never lost (pty data still in the kernel\'s flip buffer)', { skip }, async () => {
  // Many at once, so the kernel's work queue that moves pty data to the master lags the exits.
  const runs = Array.from({ length: 12 }, async (_, i) => {
    const b = makeBundle(`ttylast${i}`, ['sh', '-c', 'seq 1 200; echo last-line']);
    b.spec.process!.terminal = true;
    b.write();
    bundles.push(b);
    const { got, logPath, exitFile } = await started(b, { tty: true });
    await trt!.rt.start(b.id);
    const out = (await got).map((f) => f.data).join('').replaceAll('\r', '');
    assert.equal((await exitOf(exitFile)).exitCode, 0);
    assert.ok(out.endsWith('200\nlast-line\n'), `attach of ${b.id} ends with ${JSON.stringify(out.slice(-20))}`);
    assert.ok(readFileSync(logPath, 'utf8').includes('last-line'), `log of ${b.id}`);
  });
  await Promise.all(runs);
});

test('the log rotates at max-size and keeps max-file files', { skip }, async () => {
  const b = makeBundle('rotate', ['sh', '-c', 'for i in $(seq 1 300); do echo line-$i-xxxxxxxxxxxxxxxx; done']);
  bundles.push(b);
  const { got, logPath, exitFile } = await started(b, { maxSize: 4000, maxFiles: 3 });
  await trt!.rt.start(b.id);
  await got;
  await exitOf(exitFile);
  const files = readdirSync(b.dir).filter((f) => f.startsWith('ctr.log')).sort();
  assert.deepEqual(files, ['ctr.log', 'ctr.log.1', 'ctr.log.2']);
  for (const f of files) assert.ok(readFileSync(join(b.dir, f)).length <= 4000, `${f} over max-size`);
  assert.match(readFileSync(logPath, 'utf8'), /line-300-/);
});

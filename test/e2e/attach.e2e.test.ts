// Attach against berthd: logs=1 replays the log (stream=0 then ends), detach keys end a TTY
// session (attach and exec) with the container running on, and the docker and berth CLIs
// detaching through a terminal (script(1)) alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { requires } from '../support/requires.ts';
import { useBerthd } from './support/container-fixture.ts';
import { docker, haveDocker, DOCKER_BIN } from './support/docker-cli.ts';
import { rawHijack, frames } from './support/raw-attach.ts';
import { BERTH_BIN } from '../cli/support.ts';

const skip = requires('root', 'busybox', 'overlay', 'cgroup-v1') || (haveDocker() ? false : 'no docker CLI');
const noScript = spawnSync('script', ['--version']).status === 0 ? false : 'no script(1)';
const daemon = useBerthd();

const ok = async (args: string[]) => {
  const r = await docker(args, daemon().dockerEnv);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

async function until(what: string, fn: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !(await fn());) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const attach = (ref: string, query: string) => rawHijack(daemon().socket, 'POST', `/v1.43/containers/${ref}/attach?${query}`);

test('attach logs=1: stream=0 replays the log and ends, stream=1 replays then streams live', { skip }, async () => {
  await ok(['run', '--name', 'at-logs', 'busybox', 'sh', '-c', 'echo out1; echo err1 >&2; echo out2']);
  const all = attach('at-logs', 'logs=1&stream=0&stdout=1&stderr=1');
  assert.match(await all.head, /^HTTP\/1.1 101/);
  // (stdout and stderr are separate pipes: their order in the log is not the program's.)
  const got = frames(await all.body);
  assert.deepEqual(got.filter(([s]) => s === 1), [[1, 'out1\n'], [1, 'out2\n']]);
  assert.deepEqual(got.filter(([s]) => s === 2), [[2, 'err1\n']]);
  assert.deepEqual(frames(await attach('at-logs', 'logs=1&stream=0&stderr=1').body), [[2, 'err1\n']]);
  assert.deepEqual(frames(await attach('at-logs', 'logs=0&stream=0&stdout=1').body), []);

  await ok(['run', '-di', '--name', 'at-live', 'busybox', 'sh', '-c', 'echo before; read x; echo after $x']);
  await until('the first line', async () => (await ok(['logs', 'at-live'])) === 'before\n');
  const live = attach('at-live', 'logs=1&stream=1&stdin=1&stdout=1&stderr=1');
  await until('the replayed line', () => frames(live.received()).length > 0);
  live.socket.write('hi\n');
  assert.deepEqual(frames(await live.body), [[1, 'before\n'], [1, 'after hi\n']]);
});

test('detach keys: ctrl-p,ctrl-q or detachKeys end a TTY attach, the container runs on; bad keys are refused', { skip }, async () => {
  await ok(['run', '-dit', '--name', 'at-tty', 'busybox', 'sh']);
  const since = Math.floor(Date.now() / 1000) - 1;
  const dflt = attach('at-tty', 'stream=1&stdin=1&stdout=1');
  await dflt.head;
  dflt.socket.write('echo one\n');
  await until('the echo', () => dflt.received().includes('one\r\n'));
  dflt.socket.write(Buffer.from([0x10]));
  await new Promise((r) => setTimeout(r, 200));
  dflt.socket.write(Buffer.from([0x11, 0x61]));
  await dflt.body; // the daemon closed it
  const custom = attach('at-tty', 'stream=1&stdin=1&stdout=1&detachKeys=ctrl-a,b');
  await custom.head;
  custom.socket.write(Buffer.from('\x01b'));
  await custom.body;
  assert.equal((await ok(['inspect', '-f', '{{.State.Running}}', 'at-tty'])).trim(), 'true');
  const bad = attach('at-tty', 'stream=1&stdin=1&stdout=1&detachKeys=foo');
  assert.match(await bad.head, /^HTTP\/1.1 400/);
  assert.match((await bad.body).toString(), /Invalid detach keys \(foo\) provided/);
  const ev = await ok(['events', '--since', String(since), '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', 'event=detach', '--format', '{{.Action}} {{.Actor.Attributes.name}}']);
  assert.equal(ev, 'detach at-tty\ndetach at-tty\n');
});

test('detach keys on a TTY exec: the exec ends for the client, its process goes on; bad keys are refused', { skip }, async () => {
  await ok(['run', '-dit', '--name', 'at-exec', 'busybox', 'sh']);
  const post = async (path: string, body: unknown) => {
    const h = rawHijack(daemon().socket, 'POST', path, body);
    return { head: await h.head, body: (await h.body).toString() };
  };
  const bad = await post('/v1.43/containers/at-exec/exec', { Cmd: ['sh'], Tty: true, AttachStdin: true, AttachStdout: true, DetachKeys: 'ctrl-p,nope' });
  assert.match(bad.head, /^HTTP\/1.1 400/);
  assert.match(bad.body, /Invalid escape keys \(ctrl-p,nope\) provided/);
  const created = await post('/v1.43/containers/at-exec/exec', { Cmd: ['sh', '-c', 'read x; sleep 30'], Tty: true, AttachStdin: true, AttachStdout: true, DetachKeys: 'ctrl-x,ctrl-y' });
  const id = (JSON.parse(created.body.slice(created.body.indexOf('{'))) as { Id: string }).Id;
  const s = rawHijack(daemon().socket, 'POST', `/v1.43/exec/${id}/start`, { Detach: false, Tty: true });
  await s.head;
  s.socket.write('line\n\x18\x19');
  await s.body;
  await new Promise((r) => setTimeout(r, 300));
  const st = await new Promise<string>((resolve, reject) => {
    request({ socketPath: daemon().socket, path: `/v1.43/exec/${id}/json` }, (res) => {
      let t = '';
      res.setEncoding('utf8').on('data', (c: string) => { t += c; }).on('end', () => resolve(t));
    }).on('error', reject).end();
  });
  assert.match(st, /"Running":true/);
});

/** A command in a terminal (script -qec), with `input` typed after `delayMs`; its output and status. */
function inTerminal(cmd: string, env: NodeJS.ProcessEnv, input: [number, string][]): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve) => {
    const c = spawn('script', ['-qec', `${cmd}; echo "status=$?"`, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    c.stdout!.setEncoding('utf8').on('data', (t: string) => { out += t; });
    for (const [ms, s] of input) setTimeout(() => c.stdin!.write(s), ms);
    const kill = setTimeout(() => c.kill('SIGKILL'), 20_000);
    c.on('exit', (code) => { clearTimeout(kill); resolve({ out, code }); });
  });
}

test('docker and berth CLIs detach alike: attach and exec -it say "read escape sequence" (status 1), run -it and start -ai leave quietly', { skip: skip || noScript }, async () => {
  const env = daemon().dockerEnv;
  const berth = `BERTH_DEV=1 ${BERTH_BIN}`;
  await ok(['run', '-dit', '--name', 'at-cli', 'busybox', 'sh']);
  // The keys come once the CLI has the terminal in raw mode (a cooked terminal eats ctrl-q).
  const keys = (k: string): [number, string][] => [[1500, 'echo typed\n'], [2500, k]];
  for (const cli of [DOCKER_BIN, berth]) {
    const a = await inTerminal(`${cli} attach at-cli`, env, keys('\x10\x11'));
    assert.match(a.out, /typed\r\n[^]*read escape sequence\r\nstatus=1\r\n$/, `${cli} attach: ${a.out}`);
    const k = await inTerminal(`${cli} attach --detach-keys ctrl-a,ctrl-b at-cli`, env, keys('\x01\x02'));
    assert.match(k.out, /read escape sequence\r\nstatus=1\r\n$/, `${cli} attach --detach-keys: ${k.out}`);
    const e = await inTerminal(`${cli} exec -it at-cli sh`, env, keys('\x10\x11'));
    assert.match(e.out, /typed\r\n[^]*read escape sequence\r\nstatus=1\r\n$/, `${cli} exec -it: ${e.out}`);
    const name = cli === berth ? 'at-run-berth' : 'at-run-docker';
    const r = await inTerminal(`${cli} run -it --name ${name} busybox sh`, env, keys('\x10\x11'));
    assert.match(r.out, /typed\r\n[^]*status=0\r\n$/, `${cli} run -it: ${r.out}`);
    assert.doesNotMatch(r.out, /escape/);
    await ok(['stop', '-t', '0', name]);
    const s = await inTerminal(`${cli} start -ai --detach-keys ctrl-x,ctrl-y ${name}`, env, keys('\x18\x19'));
    assert.match(s.out, /typed\r\n[^]*status=0\r\n$/, `${cli} start -ai: ${s.out}`);
    assert.equal((await ok(['inspect', '-f', '{{.State.Running}}', 'at-cli', name])), 'true\ntrue\n');
  }
});

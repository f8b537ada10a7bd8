// docker exec, docker stats and health checks with the real docker CLI against berthd.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { requires } from '../support/requires.ts';
import { startBerthd, type Berthd } from './support/daemon.ts';
import { docker, haveDocker, DOCKER_BIN } from './support/docker-cli.ts';
import { noTerminal, onTerminal } from './support/terminal.ts';

const skip = requires('root', 'busybox', 'overlay', 'cgroup-v1') || (haveDocker() ? false : 'no docker CLI');
let d: Berthd;
before(async () => { if (!skip) d = await startBerthd({ busybox: true }); });
after(async () => { if (d) { await docker(['rm', '-f', 'xs-exec', 'xs-stats', 'xs-health'], d.dockerEnv); await d.stop(); } });

const ok = async (args: string[], input?: string) => {
  const r = await docker(args, d.dockerEnv, { input });
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

test('docker exec: output, exit codes, stdin, user, env, workdir', { skip }, async () => {
  await ok(['run', '-d', '--name', 'xs-exec', '-e', 'A=container', 'busybox', 'sleep', '60']);
  assert.equal(await ok(['exec', 'xs-exec', 'sh', '-c', 'echo $A $B; pwd', ]), 'container\n/\n');
  assert.equal(await ok(['exec', '-e', 'B=exec', '-w', '/tmp', 'xs-exec', 'sh', '-c', 'echo $A $B; pwd']), 'container exec\n/tmp\n');
  assert.equal(await ok(['exec', '-i', 'xs-exec', 'cat'], 'piped in\n'), 'piped in\n');
  assert.equal((await ok(['exec', '-u', 'berthuser', 'xs-exec', 'id', '-un'])).trim(), 'berthuser');
  const failed = await docker(['exec', 'xs-exec', 'sh', '-c', 'echo oops >&2; exit 7'], d.dockerEnv);
  assert.equal(failed.code, 7);
  assert.equal(failed.stderr, 'oops\n');
  assert.equal((await docker(['exec', 'xs-exec', 'no-such-command'], d.dockerEnv)).code, 127);
  const stopped = await docker(['exec', 'no-such-container', 'true'], d.dockerEnv);
  assert.match(stopped.stderr, /No such container: no-such-container/);
});

test('docker stats --no-stream reports the cgroup figures', { skip }, async () => {
  await ok(['run', '-d', '--name', 'xs-stats', '--memory', '48m', '--pids-limit', '50', 'busybox', 'sh', '-c', 'while :; do :; done']);
  await new Promise((r) => setTimeout(r, 500));
  const s = JSON.parse(await ok(['stats', '--no-stream', '--format', '{{json .}}', 'xs-stats'])) as Record<string, string>;
  assert.equal(s.Name, 'xs-stats');
  assert.match(s.MemUsage, / \/ 48MiB$/);
  assert.ok(Number.parseFloat(s.CPUPerc) > 20, `a busy loop uses CPU: ${s.CPUPerc}`);
  assert.equal(s.PIDs, '1');
});

test('health checks: starting, unhealthy after retries, then healthy; events', { skip }, async () => {
  await ok(['run', '-d', '--name', 'xs-health', '--health-cmd', 'test -f /tmp/ok', '--health-interval', '500ms', '--health-retries', '2',
    'busybox', 'sh', '-c', 'sleep 2; touch /tmp/ok; sleep 60']);
  const status = async () => (await ok(['inspect', '-f', '{{.State.Health.Status}}', 'xs-health'])).trim();
  const until = async (want: string) => {
    for (let i = 0; i < 50 && (await status()) !== want; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await status(), want);
  };
  await until('unhealthy');
  await until('healthy');
  assert.match(await ok(['ps', '--filter', 'name=xs-health', '--format', '{{.Status}}']), /\(healthy\)/);
  // The CLI turns `--until 0s` into whole seconds: let the current second pass.
  await new Promise((r) => setTimeout(r, 1100));
  const ev = await ok(['events', '--since', '60s', '--until', '0s', '--filter', 'container=xs-health', '--filter', 'event=health_status', '--format', '{{.Action}}']);
  assert.deepEqual(ev.trim().split('\n'), ['health_status: unhealthy', 'health_status: healthy']);
});

test('docker diff and docker export of a stopped container', { skip }, async () => {
  await ok(['run', '--name', 'xs-fs', 'busybox', 'sh', '-c', 'echo x > /tmp/new; rm /etc/group; mkdir /root/d']);
  try {
    assert.deepEqual((await ok(['diff', 'xs-fs'])).trim().split('\n'), ['C /etc', 'D /etc/group', 'C /root', 'A /root/d', 'C /tmp', 'A /tmp/new']);
    const tar = execFileSync(DOCKER_BIN, ['export', 'xs-fs'], { env: d.dockerEnv, maxBuffer: 64 << 20 });
    const names = execFileSync('tar', ['-t'], { input: tar }).toString().split('\n');
    assert.ok(names.includes('bin/busybox') && names.includes('tmp/new'), 'the export has image and container files');
    assert.ok(!names.includes('etc/group'), 'a deleted file is not exported');
  } finally {
    await docker(['rm', 'xs-fs'], d.dockerEnv);
  }
});

test('docker cp both ways; symlinks in the container stay inside it', { skip }, async () => {
  const host = mkdtempSync(join(tmpdir(), 'berth-test-cp-'));
  const outside = mkdtempSync(join(tmpdir(), 'berth-test-outside-'));
  try {
    mkdirSync(join(host, 'in', 'sub'), { recursive: true });
    writeFileSync(join(host, 'in', 'sub', 'f.txt'), 'hello\n');
    await ok(['run', '-d', '--name', 'xs-cp', 'busybox', 'sleep', '60']);
    await ok(['cp', join(host, 'in'), 'xs-cp:/tmp/in2']);
    assert.equal(await ok(['exec', 'xs-cp', 'cat', '/tmp/in2/sub/f.txt']), 'hello\n');
    await ok(['cp', 'xs-cp:/etc/passwd', join(host, 'pw')]);
    assert.match(readFileSync(join(host, 'pw'), 'utf8'), /^root:x:0:0/);
    // A link that points at the host's directory, from inside the container: relative and absolute.
    await ok(['exec', 'xs-cp', 'sh', '-c', `ln -s ../../../../../..${outside} /tmp/rel; ln -s ${outside} /tmp/abs; ln -s /etc /tmp/etc`]);
    for (const link of ['rel', 'abs']) {
      const r = await docker(['cp', join(host, 'pw'), `xs-cp:/tmp/${link}/`], d.dockerEnv);
      assert.notEqual(r.code, 0, `cp through /tmp/${link} must not succeed: ${r.stdout}`);
    }
    assert.deepEqual(readdirSync(outside), [], 'nothing reached the host directory');
    await ok(['cp', 'xs-cp:/tmp/etc/hostname', join(host, 'h')]);
    assert.equal(readFileSync(join(host, 'h'), 'utf8'), await ok(['exec', 'xs-cp', 'cat', '/etc/hostname']), 'the container\'s /etc, not the host\'s');
    const missing = await docker(['cp', 'xs-cp:/nope', join(host, 'x')], d.dockerEnv);
    // v28 prints the daemon's message; v20 its own "No such container:path".
    assert.match(missing.stderr, /Could not find the file \/nope in container xs-cp|No such container:path: xs-cp:\/nope/);
  } finally {
    await docker(['rm', '-f', 'xs-cp'], d.dockerEnv);
    rmSync(host, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('docker commit: changes and deletions become a layer; --change and -m apply', { skip }, async () => {
  await ok(['run', '--name', 'xs-commit', 'busybox', 'sh', '-c', 'echo committed > /hello.txt; rm /etc/group']);
  try {
    await ok(['commit', '-c', 'CMD ["cat", "/hello.txt"]', '-m', 'my change', 'xs-commit', 'xs-committed:v1']);
    assert.equal(await ok(['run', '--rm', 'xs-committed:v1']), 'committed\n');
    assert.notEqual((await docker(['run', '--rm', 'xs-committed:v1', 'ls', '/etc/group'], d.dockerEnv)).code, 0, 'the deletion is in the layer');
    const hist = await ok(['history', '--format', '{{.Comment}}', 'xs-committed:v1']);
    assert.equal(hist.split('\n')[0], 'my change');
  } finally {
    await docker(['rm', 'xs-commit'], d.dockerEnv);
    await docker(['rmi', 'xs-committed:v1'], d.dockerEnv);
  }
});

test('docker update changes a running container\'s limits in its cgroup', { skip }, async () => {
  await ok(['run', '-d', '--name', 'xs-update', '--memory', '64m', 'busybox', 'sleep', '60']);
  try {
    await ok(['update', '--memory', '96m', '--memory-swap', '200m', '--pids-limit', '33', '--restart', 'on-failure:3', 'xs-update']);
    assert.equal(await ok(['exec', 'xs-update', 'cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes', '/sys/fs/cgroup/pids/pids.max']), `${96 << 20}\n33\n`);
    assert.equal((await ok(['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}', 'xs-update'])).trim(), `${96 << 20} on-failure`);
    const bad = await docker(['update', '--memory', '1m', 'xs-update'], d.dockerEnv);
    assert.match(bad.stderr, /Minimum memory limit allowed is 6MB/);
  } finally {
    await docker(['rm', '-f', 'xs-update'], d.dockerEnv);
  }
});

test('docker exec -it: a tty inside, input from the terminal, the exit code', { skip: skip || noTerminal }, async () => {
  await ok(['run', '-d', '--name', 'xs-exectty', 'busybox', 'sleep', '60']);
  try {
    const tty = onTerminal([DOCKER_BIN, 'exec', '-it', 'xs-exectty', 'sh', '-c', 'tty; [ -t 0 ] && echo stdin-tty'], '', d.dockerEnv);
    assert.equal(tty.status, 0, tty.stderr);
    assert.deepEqual(tty.stdout.replaceAll('\r', '').trim().split('\n'), ['/dev/pts/0', 'stdin-tty']);
    const typed = onTerminal([DOCKER_BIN, 'exec', '-it', 'xs-exectty', 'sh'], 'echo typed-$((40+2)); exit 3\n', d.dockerEnv);
    assert.equal(typed.status, 3);
    assert.match(typed.stdout.replaceAll('\r', ''), /\ntyped-42\n/);
  } finally {
    await docker(['rm', '-f', 'xs-exectty'], d.dockerEnv);
  }
});

test('exec start hijacked with and without Upgrade: the output goes on after the client half-closes (its stdin ended)', { skip }, async () => {
  await ok(['run', '-d', '--name', 'xs-halfclose', 'busybox', 'sleep', '60']);
  try {
    const sock = d.host.replace('unix://', '');
    const call = (method: string, path: string, body: unknown, extra = '') => new Promise<string>((resolve, reject) => {
      const b = JSON.stringify(body);
      const s = connect(sock);
      s.on('error', reject);
      s.write(`${method} ${path} HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(b)}\r\n${extra}\r\n${b}`);
      let out = '';
      let halfClosed = false;
      s.on('data', (c: Buffer) => {
        out += c.toString('latin1');
        // As the docker CLI does when its stdin ends: close the write side, keep reading.
        if (extra.includes('exec-start') && !halfClosed && out.includes('\r\n\r\n')) { halfClosed = true; s.end(); }
        if (!extra.includes('exec-start') && out.includes('}')) s.destroy();
      });
      s.on('close', () => resolve(out));
    });
    for (const upgrade of [true, false]) {
      const created = await call('POST', '/v1.47/containers/xs-halfclose/exec', { AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, Cmd: ['sh', '-c', 'echo early; sleep 0.3; echo late'] }, 'Connection: close\r\n');
      const id = (JSON.parse(created.slice(created.indexOf('{'))) as { Id: string }).Id;
      const out = await call('POST', `/v1.47/exec/${id}/start`, { Detach: false, Tty: true }, `X-Test: exec-start\r\n${upgrade ? 'Connection: Upgrade\r\nUpgrade: tcp\r\n' : ''}`);
      assert.equal(out.slice(out.indexOf('\r\n\r\n') + 4), 'early\r\nlate\r\n', upgrade ? 'upgraded' : 'answered with 200');
    }
  } finally {
    await docker(['rm', '-f', 'xs-halfclose'], d.dockerEnv);
  }
});

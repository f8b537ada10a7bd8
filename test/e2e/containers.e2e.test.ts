// docker run against berthd with the real docker CLI: foreground output and exit codes, --rm,
// stdin, TTY, create + start -a, and the process settings (env, workdir, user, entrypoint,
// name, hostname, init).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from './support/docker-cli.ts';
import { useBerthd, noDocker, ok, dockerTty, haveScript } from './support/container-fixture.ts';

const berthd = useBerthd();
const skip = noDocker;

test('docker run --rm busybox echo: output, exit 0, nothing left', { skip }, async () => {
  const d = berthd();
  const r = await docker(['run', '--rm', 'busybox', 'echo', 'hello', 'world'], d.dockerEnv);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hello world\n');
  assert.equal(r.stderr, '');
  assert.equal(await ok(d, ['ps', '-aq']), '');
});

test('stdout and stderr go to the CLI\'s stdout and stderr', { skip }, async () => {
  const r = await docker(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2'], berthd().dockerEnv);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'err\n');
});

test('the container\'s exit code is docker run\'s', { skip }, async () => {
  const d = berthd();
  for (const code of [1, 3, 42, 255]) {
    const r = await docker(['run', '--rm', 'busybox', 'sh', '-c', `exit ${code}`], d.dockerEnv);
    assert.equal(r.code, code, r.stderr);
  }
  // Not pid 1 (which ignores signals it has no handler for): killed by a signal is 128+n.
  const killed = await docker(['run', '--rm', '--init', 'busybox', 'sh', '-c', 'kill -9 $$'], d.dockerEnv);
  assert.equal(killed.code, 137);
  const self = await docker(['run', '--rm', 'busybox', 'sh', '-c', 'kill -9 $$; exit 4'], d.dockerEnv);
  assert.equal(self.code, 4, 'pid 1 survives its own SIGKILL');
});

test('exit 125: an unknown flag, an image that is not there', { skip }, async () => {
  const d = berthd();
  const flag = await docker(['run', '--rm', '--no-such-flag', 'busybox', 'true'], d.dockerEnv);
  assert.equal(flag.code, 125);
  assert.match(flag.stderr, /unknown flag: --no-such-flag/);
  const img = await docker(['run', '--rm', '--pull', 'never', 'no-such-image-berth', 'true'], d.dockerEnv);
  assert.equal(img.code, 125);
  assert.match(img.stderr, /Error response from daemon: No such image: no-such-image-berth/);
});

test('"No such image" names the normalized reference, as Docker does', { skip }, async () => {
  const img = await docker(['run', '--rm', '--pull', 'never', 'no-such-image-berth', 'true'], berthd().dockerEnv);
  assert.match(img.stderr, /No such image: no-such-image-berth:latest/);
});

test('exit 127: command not found, with Docker\'s message; --rm removes the container', { skip }, async () => {
  const d = berthd();
  const r = await docker(['run', '--rm', 'busybox', 'nosuchcmd'], d.dockerEnv, { timeoutMs: 15_000 });
  assert.equal(r.code, 127, r.stderr);
  assert.match(r.stderr, /docker: Error response from daemon: failed to create task for container: .*exec: "nosuchcmd": executable file not found in \$PATH/);
  assert.doesNotMatch(r.stderr, /Error waiting for container/);
  assert.equal(await ok(d, ['ps', '-aq']), '');
  const kept = await docker(['run', '--name', 'notfound', 'busybox', 'nosuchcmd'], d.dockerEnv, { timeoutMs: 15_000 });
  assert.equal(kept.code, 127);
  assert.equal(await ok(d, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'notfound']), 'created 127');
});

test('exit 126: not executable', { skip }, async () => {
  const r = await docker(['run', '--rm', 'busybox', '/etc/passwd'], berthd().dockerEnv, { timeoutMs: 15_000 });
  assert.equal(r.code, 126, r.stderr);
});

test('exit 126 comes with Docker\'s start error (exec: "/etc/passwd": permission denied)', { skip }, async () => {
  const d = berthd();
  const r = await docker(['run', '--name', 'noexec', 'busybox', '/etc/passwd'], d.dockerEnv, { timeoutMs: 15_000 });
  assert.equal(r.code, 126);
  assert.match(r.stderr, /exec: "\/etc\/passwd": permission denied/);
  assert.equal(await ok(d, ['inspect', '--format', '{{.State.Status}}', 'noexec']), 'created');
});

test('-i with piped stdin: cat echoes it, the container ends at EOF', { skip }, async () => {
  const r = await docker(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'cat; echo end'], berthd().dockerEnv, { input: 'line 1\nline 2\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'line 1\nline 2\nend\n');
});

test('without -i the container gets no stdin', { skip }, async () => {
  const r = await docker(['run', '--rm', 'busybox', 'cat'], berthd().dockerEnv, { input: 'ignored\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
});

test('-t: the process has a terminal (/dev/pts/0), exit code passed on', { skip: skip || (haveScript() ? false : 'util-linux script not installed') }, async () => {
  const d = berthd();
  const r = await dockerTty(['run', '--rm', '-t', 'busybox', 'tty'], d.dockerEnv);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.stdout.trim(), '/dev/pts/0');
  const code = await dockerTty(['run', '--rm', '-t', 'busybox', 'sh', '-c', 'exit 6'], d.dockerEnv);
  assert.equal(code.code, 6);
  const it = await docker(['run', '--rm', '-it', 'busybox', 'true'], d.dockerEnv);
  assert.equal(it.code, 1);
  assert.match(it.stderr, /the input device is not a TTY/);
});

test('docker create, then docker start -a: output and exit code', { skip }, async () => {
  const d = berthd();
  const id = await ok(d, ['create', '--name', 'made', 'busybox', 'sh', '-c', 'echo started; exit 2']);
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(await ok(d, ['ps', '-a', '--filter', 'name=made', '--format', '{{.Status}}']), 'Created');
  const r = await docker(['start', '-a', 'made'], d.dockerEnv);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, 'started\n');
  assert.equal(await ok(d, ['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', id]), 'exited 2');
  const again = await docker(['start', '-a', 'made'], d.dockerEnv);
  assert.equal(again.code, 2);
  assert.equal(again.stdout, 'started\n');
});

test('-e, --env-file, -w, --entrypoint', { skip }, async () => {
  const d = berthd();
  const dir = mkdtempSync(join(tmpdir(), 'berth-test-envfile-'));
  try {
    const file = join(dir, 'env');
    writeFileSync(file, 'FROM_FILE=one\n# a comment\nSPACED=two words\n');
    const r = await ok(d, ['run', '--rm', '-e', 'A=1', '-e', 'B=x=y', '--env-file', file, '-w', '/tmp/work', 'busybox',
      'sh', '-c', 'echo "$A|$B|$FROM_FILE|$SPACED|$PATH"; pwd']);
    assert.equal(r, '1|x=y|one|two words|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n/tmp/work');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(await ok(d, ['run', '--rm', '--entrypoint', 'echo', 'busybox', 'a', 'b']), 'a b');
  assert.equal(await ok(d, ['run', '--rm', '--entrypoint', '/bin/sh', 'busybox', '-c', 'echo $0']), '/bin/sh');
});

test('-u uid:gid and -u name (from the image\'s /etc/passwd and /etc/group)', { skip }, async () => {
  const d = berthd();
  assert.equal(await ok(d, ['run', '--rm', '-u', '1000:1000', 'busybox', 'id']), 'uid=1000(berthuser) gid=1000(berthuser) groups=1000(berthuser)');
  assert.equal(await ok(d, ['run', '--rm', '-u', 'berthuser', 'busybox', 'id']), 'uid=1000(berthuser) gid=1000(berthuser) groups=10(wheel),29(audio),1000(berthuser)');
  assert.equal(await ok(d, ['run', '--rm', '-u', '4242', 'busybox', 'id', '-u']), '4242');
  const bad = await docker(['run', '--rm', '-u', 'nobody-here', 'busybox', 'id'], d.dockerEnv, { timeoutMs: 15_000 });
  assert.equal(bad.code, 125, bad.stderr);
  assert.match(bad.stderr, /unable to find user nobody-here: no matching entries in passwd file/);
});

test('--name and --hostname; the default hostname is the short id', { skip }, async () => {
  const d = berthd();
  assert.equal(await ok(d, ['run', '--rm', '--hostname', 'box1', 'busybox', 'hostname']), 'box1');
  const id = await ok(d, ['run', '-d', '--name', 'named1', 'busybox', 'hostname']);
  assert.equal(await ok(d, ['wait', 'named1']), '0');
  assert.equal(await ok(d, ['logs', 'named1']), id.slice(0, 12));
  assert.equal(await ok(d, ['inspect', '--format', '{{.Name}} {{.Config.Hostname}}', 'named1']), `/named1 ${id.slice(0, 12)}`);
  const dup = await docker(['run', '--name', 'named1', 'busybox', 'true'], d.dockerEnv);
  assert.equal(dup.code, 125);
  assert.match(dup.stderr, /Conflict\. The container name "\/named1" is already in use by container "[0-9a-f]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\./);
});

test('--init: pid 1 is the init, the command runs as its child', { skip }, async () => {
  const d = berthd();
  const ps = await ok(d, ['run', '--rm', '--init', 'busybox', 'sh', '-c', 'echo $$; cat /proc/1/cmdline | tr "\\0" " "']);
  const [pid, init] = ps.split('\n');
  assert.notEqual(pid, '1');
  // As Docker's: /sbin/docker-init -- <command> (not the helper's host path).
  assert.equal(init.trim(), '/sbin/docker-init -- sh -c echo $$; cat /proc/1/cmdline | tr "\\0" " "');
  assert.equal(await ok(d, ['run', '--rm', '--init', 'busybox', 'cat', '/proc/1/comm']), 'docker-init');
  assert.equal(await ok(d, ['run', '--rm', 'busybox', 'sh', '-c', 'echo $$']), '1');
  assert.equal(await ok(d, ['inspect', '--format', '{{.HostConfig.Init}}', await ok(d, ['create', '--init', 'busybox'])]), 'true');
});

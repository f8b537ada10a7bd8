// The berth CLI against a berthd (busybox seeded), compared byte for byte with the real docker
// CLI on the same daemon where scripts parse the output (timing words masked).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { haveDocker } from '../e2e/support/docker-cli.ts';
import { requires } from '../support/requires.ts';
import { maskTimes, startCliDaemon, type CliDaemon } from './support.ts';

const skip = requires('root', 'overlay', 'busybox') || (haveDocker() ? false : 'docker CLI not installed');
let c: CliDaemon;
before(async () => { if (!skip) c = await startCliDaemon(); });
after(async () => {
  if (!c) return;
  const ids = (await c.berth(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
  if (ids.length) await c.berth(['rm', '-f', ...ids]);
  await c.stop();
});

/** Time words masked and column padding collapsed (times differ in width between two runs). */
const norm = (s: string) => maskTimes(s).replace(/ {2,}/g, '  ');

const both = async (args: string[], input?: string) => {
  const [b, d] = await Promise.all([c.berth(args, { input }), c.docker(args, { input })]);
  return { b, d };
};

test('run --rm echo, exit codes 0/3/127/125, stdin with -i', { skip }, async () => {
  const r = await c.berth(['run', '--rm', 'busybox', 'echo', 'hi']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'hi\n', '']);
  assert.equal((await c.berth(['run', '--rm', 'busybox', 'sh', '-c', 'echo err >&2; exit 3'])).code, 3);
  const e = await c.berth(['run', '--rm', 'busybox', 'sh', '-c', 'echo err >&2']);
  assert.deepEqual([e.stdout, e.stderr], ['', 'err\n']);
  const nf = await c.berth(['run', '--name', 'nocmd', 'busybox', 'nosuchcmd']);
  assert.equal(nf.code, 127);
  assert.match(nf.stderr, /^berth: Error response from daemon: .*executable file not found/);
  const ni = await c.berth(['run', '--pull', 'never', 'nosuchimage']);
  assert.equal(ni.code, 125);
  const cat = await c.berth(['run', '--rm', '-i', 'busybox', 'cat'], { input: 'hello\n' });
  assert.deepEqual([cat.code, cat.stdout], [0, 'hello\n']);
  const env = await c.berth(['run', '--rm', '-e', 'A=1', '-w', '/tmp', '-u', '1:2', 'busybox', 'sh', '-c', 'echo $A $(pwd) $(id -u):$(id -g)']);
  assert.equal(env.stdout, '1 /tmp 1:2\n');
});

test('ps, ps -a, -q, --no-trunc, --format json/table, -n: identical to docker ps', { skip }, async () => {
  const id = (await c.berth(['run', '-d', '--name', 'web', '-l', 'app=x', 'busybox', 'sleep', '60'])).stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  await c.berth(['create', '--name', 'made', 'busybox', 'sh', '-c', 'echo "quoted \\"cmd\\" that is long"']);
  for (const args of [['ps'], ['ps', '-a'], ['ps', '-aq'], ['ps', '-a', '--no-trunc'], ['ps', '-a', '--format', 'json'], ['ps', '-n', '2'], ['ps', '-l'],
    ['ps', '-a', '--format', 'table {{.Names}}\t{{.Labels}}\t{{.State}}'], ['ps', '-a', '--format', '{{.ID}}: {{.Command}}'], ['ps', '--filter', 'name=web', '-q'],
    ['container', 'ls', '-a']]) {
    const { b, d } = await both(args);
    assert.equal(b.code, 0, `${args.join(' ')}: ${b.stderr}`);
    assert.equal(norm(b.stdout), norm(d.stdout), args.join(' '));
  }
  const stable = ['ps', '-a', '--format', 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.State}}\t{{.Ports}}\t{{.Names}}'];
  const { b, d } = await both(stable);
  assert.equal(b.stdout, d.stdout);
});

test('inspect: JSON and --format identical to docker; not found after the output', { skip }, async () => {
  for (const args of [['inspect', 'web'], ['inspect', '-f', '{{.State.Status}} {{.Name}} {{json .Config.Cmd}} {{.Config.Cmd}} {{.HostConfig.AutoRemove}}', 'web', 'made'],
    ['container', 'inspect', '--format', '{{.Config.Labels}}', 'web'], ['inspect', '--type', 'container', '-f', '{{.Id}}', 'made']]) {
    const { b, d } = await both(args);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout, d.stdout, args.join(' '));
  }
  const { b, d } = await both(['inspect', 'web', 'nosuch']);
  assert.equal(b.code, 1);
  assert.equal(b.stdout, d.stdout);
  assert.equal(b.stderr, d.stderr);
  assert.equal((await c.berth(['inspect', '-f', '{{.State.Status}}', 'web'])).stdout, 'running\n');
});

test('create + start -a, logs, wait, top, lifecycle and errors like docker', { skip }, async () => {
  const id = (await c.berth(['create', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 4'])).stdout.trim();
  const s = await c.berth(['start', '-a', id]);
  assert.deepEqual([s.code, s.stdout, s.stderr], [4, 'out\n', 'err\n']);
  const logs = await c.berth(['logs', id]);
  assert.deepEqual([logs.stdout, logs.stderr], ['out\n', 'err\n']);
  assert.equal((await c.berth(['wait', id])).stdout, '4\n');
  const t = await c.berth(['logs', '-t', '--tail', '1', id]);
  assert.match(t.stdout + t.stderr, /^\d{4}-\d\d-\d\dT[\d:.]+Z (out|err)\n$/);
  const top = await c.berth(['top', 'web']);
  assert.match(top.stdout, /^UID {17}PID {17}PPID/);
  assert.match(top.stdout, /sleep 60/);
  assert.deepEqual(await c.berth(['pause', 'web']).then((r) => r.stdout), 'web\n');
  assert.equal((await c.berth(['inspect', '-f', '{{.State.Status}}', 'web'])).stdout, 'paused\n');
  assert.deepEqual(await c.berth(['unpause', 'web']).then((r) => r.stdout), 'web\n');
  assert.equal((await c.berth(['rename', 'made', 'made2'])).code, 0);
  for (const args of [['rm', 'nosuch'], ['stop', 'nosuch'], ['kill', 'nosuch'], ['logs', 'nosuch'], ['rename', 'nosuch', 'x']]) {
    const { b, d } = await both(args);
    assert.equal(b.code, d.code, args.join(' '));
    assert.equal(b.stderr, d.stderr, args.join(' '));
  }
  const stop = await c.berth(['stop', '-t', '1', 'web', 'nosuch']);
  assert.deepEqual([stop.code, stop.stdout, stop.stderr], [1, 'web\n', 'Error response from daemon: No such container: nosuch\n']);
  const rm = await c.berth(['rm', '-f', 'web', 'made2', id, 'nocmd']);
  assert.deepEqual([rm.code, rm.stdout], [0, `web\nmade2\n${id}\nnocmd\n`]);
  assert.equal((await c.berth(['ps', '-aq'])).stdout, '');
});

test('exec: exit code and output match docker', { skip }, async () => {
  await c.berth(['run', '-d', '--name', 'ex', 'busybox', 'sleep', '60']);
  const { b, d } = await both(['exec', 'ex', 'sh', '-c', 'echo in; exit 2']);
  assert.equal(b.code, d.code);
  assert.equal(b.stdout, d.stdout);
  await c.berth(['rm', '-f', 'ex']);
});

test('images, image ls, -q, --format json, history: identical to docker (when the daemon serves images)', { skip }, async () => {
  const probe = await c.docker(['images']);
  if (probe.code !== 0) return; // images routes not served by this berthd yet
  for (const args of [['images'], ['image', 'ls'], ['images', '-q'], ['images', '--digests'], ['images', '--format', 'json'], ['images', '--no-trunc'],
    ['history', 'busybox'], ['history', '--no-trunc', '-q', 'busybox'], ['inspect', '-f', '{{.Id}} {{.Config.Cmd}}', 'busybox'], ['image', 'inspect', 'busybox']]) {
    const { b, d } = await both(args);
    assert.equal(b.code, 0, `${args.join(' ')}: ${b.stderr}`);
    assert.equal(norm(b.stdout), norm(d.stdout), args.join(' '));
  }
  assert.equal((await c.berth(['tag', 'busybox', 'mine:1'])).code, 0);
  assert.match((await c.berth(['images', 'mine'])).stdout, /\nmine +1 /);
  const rmi = await c.berth(['rmi', 'mine:1']);
  assert.deepEqual([rmi.code, rmi.stdout], [0, 'Untagged: mine:1\n']);
});

test('version and info talk to the daemon; events in a closed range equal docker events', { skip }, async () => {
  const v = await c.berth(['version', '--format', '{{.Server.Version}}']);
  assert.equal(v.stdout, (await c.docker(['version', '--format', '{{.Server.Version}}'])).stdout);
  const i = await c.berth(['info', '--format', '{{.Containers}} {{.Images}} {{.Driver}}']);
  assert.equal(i.stdout, (await c.docker(['info', '--format', '{{.Containers}} {{.Images}} {{.Driver}}'])).stdout);
  assert.match((await c.berth(['info'])).stdout, /^Client:\n Version: .*\n[\s\S]*Server:\n Containers: \d+\n  Running: \d+/);
  const until = String(Math.floor(Date.now() / 1000) + 1);
  await new Promise((r) => setTimeout(r, 1100));
  const { b, d } = await both(['events', '--since', '0', '--until', until]);
  assert.equal(b.code, 0, b.stderr);
  assert.ok(b.stdout.length > 0);
  assert.equal(b.stdout, d.stdout);
  const j = await both(['events', '--since', '0', '--until', until, '--format', '{{json .}}', '--filter', 'event=start']);
  assert.equal(j.b.stdout, j.d.stdout);
});

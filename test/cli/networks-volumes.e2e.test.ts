// `berth network …` and `berth volume …` against a berthd, compared line for line with the real
// docker CLI on the same daemon where the output is the same data (ls, inspect --format, errors).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { haveDocker } from '../e2e/support/docker-cli.ts';
import { requires } from '../support/requires.ts';
import { startCliDaemon, type CliDaemon } from './support.ts';

const skip = requires('root', 'overlay', 'busybox') || (haveDocker() ? false : 'docker CLI not installed');
let c: CliDaemon;
before(async () => {
  if (!skip) c = await startCliDaemon();
});
after(async () => {
  if (!c) return;
  const ids = (await c.berth(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
  if (ids.length) await c.berth(['rm', '-f', ...ids]);
  await c.berth(['network', 'prune', '-f']);
  await c.berth(['volume', 'prune', '-af']);
  await c.stop();
});

const ok = async (args: string[]) => {
  const r = await c.berth(args);
  assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

const same = async (args: string[]) => {
  const [b, d] = await Promise.all([c.berth(args), c.docker(args)]);
  assert.equal(b.stdout, d.stdout, `stdout of ${args.join(' ')}`);
  assert.equal(b.code, d.code, `status of ${args.join(' ')}: ${b.stderr} / ${d.stderr}`);
  return b;
};

test('network create/ls/inspect/connect/disconnect/rm/prune', { skip }, async () => {
  const id = (await ok(['network', 'create', '--subnet', '10.231.0.0/24', '--gateway', '10.231.0.1', '--ip-range', '10.231.0.128/25', '--label', 'team=a', '--internal', 'bt-net-a'])).trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  await same(['network', 'ls']);
  await same(['network', 'ls', '-q', '--no-trunc']);
  await same(['network', 'ls', '--filter', 'label=team=a', '--format', '{{.Name}} {{.Driver}} {{.Internal}} {{.Label "team"}}']);
  await same(['network', 'inspect', '-f', '{{.Name}} {{.Internal}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}} {{.IPRange}}{{end}}', 'bt-net-a']);
  const bad = await same(['network', 'inspect', '-f', '{{.Nope}}', 'bt-net-a']);
  assert.equal(bad.code, 1);

  const ctr = (await ok(['run', '-d', '--name', 'bt-nv-c1', '--network', 'bt-net-a', '--ip', '10.231.0.200', 'busybox', 'sleep', '60'])).trim();
  await ok(['network', 'create', 'bt-net-b']);
  await ok(['network', 'connect', '--alias', 'web', 'bt-net-b', 'bt-nv-c1']);
  const nets = await same(['inspect', '-f', '{{range $name, $ep := .NetworkSettings.Networks}}{{$name}}={{$ep.IPAddress}} {{end}}', ctr]);
  assert.match(nets.stdout, /^bt-net-a=10\.231\.0\.200 bt-net-b=\S+ \n$/);
  // In use: refused, with dockerd's message; then disconnect and remove.
  const inUse = await c.berth(['network', 'rm', 'bt-net-b']);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, /Error response from daemon: .*active endpoints/);
  await ok(['network', 'disconnect', 'bt-net-b', 'bt-nv-c1']);
  assert.equal(await ok(['network', 'rm', 'bt-net-b']), 'bt-net-b\n');
  await ok(['rm', '-f', 'bt-nv-c1']);
  const missing = await c.berth(['network', 'rm', 'bt-net-a', 'bt-no-such-net']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stdout, 'bt-net-a\n');
  assert.match(missing.stderr, /network bt-no-such-net not found/);
  assert.equal((await c.berth(['network', 'rm', '-f', 'bt-no-such-net'])).code, 0);
  // A gateway outside every subnet: the docker CLI's own error, nothing created.
  const outside = await c.berth(['network', 'create', '--subnet', '10.232.0.0/24', '--gateway', '10.233.0.1', 'bt-net-bad']);
  assert.equal(outside.code, 1);
  assert.match(outside.stderr, /no matching subnet for gateway 10\.233\.0\.1/);
  await ok(['network', 'create', '--label', 'gone=1', 'bt-net-p']);
  assert.equal(await ok(['network', 'prune', '-f']), 'Deleted Networks:\nbt-net-p\n');
  assert.doesNotMatch(await ok(['network', 'ls']), /bt-net-/);
});

test('volume create/ls/inspect/rm/prune', { skip }, async () => {
  assert.equal(await ok(['volume', 'create', '--label', 'k=v', 'bt-vol-a']), 'bt-vol-a\n');
  assert.equal(await ok(['volume', 'create', '--name', 'bt-vol-b']), 'bt-vol-b\n');
  const anon = (await ok(['volume', 'create'])).trim();
  assert.match(anon, /^[0-9a-f]{64}$/);
  await same(['volume', 'ls']);
  await same(['volume', 'ls', '-q', '--filter', 'label=k']);
  await same(['volume', 'ls', '--format', '{{.Name}}\t{{.Driver}}\t{{.Label "k"}}']);
  await same(['volume', 'inspect', '-f', '{{.Name}} {{.Driver}} {{.Labels}}', 'bt-vol-a']);
  await same(['volume', 'inspect', '-f', '{{.Nope}}', 'bt-vol-a']);
  await ok(['run', '-d', '--name', 'bt-nv-c2', '-v', 'bt-vol-a:/data', 'busybox', 'sleep', '60']);
  const inUse = await c.berth(['volume', 'rm', 'bt-vol-a']);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, /Error response from daemon: .*volume is in use/);
  await ok(['rm', '-f', 'bt-nv-c2']);
  assert.equal(await ok(['volume', 'rm', 'bt-vol-a']), 'bt-vol-a\n');
  // prune without --all keeps named volumes; with it they go too.
  const p1 = await ok(['volume', 'prune', '-f']);
  assert.match(p1, new RegExp(`Deleted Volumes:\\n${anon}\\n\\nTotal reclaimed space: `));
  assert.match(await ok(['volume', 'ls', '-q']), /bt-vol-b/);
  assert.match(await ok(['volume', 'prune', '-af']), /Deleted Volumes:\nbt-vol-b\n/);
  const conflict = await c.berth(['volume', 'create', '--name', 'x', 'y']);
  assert.notEqual(conflict.code, 0);
  assert.match(conflict.stderr, /conflicting options/);
});

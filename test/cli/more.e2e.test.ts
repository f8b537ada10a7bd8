// stats, cp, update, diff, export, commit: berth against a berthd (busybox seeded), compared with
// the real docker CLI on the same daemon.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { haveDocker } from '../e2e/support/docker-cli.ts';
import { requires } from '../support/requires.ts';
import { BERTH_BIN, startCliDaemon, type CliDaemon } from './support.ts';

const skip = requires('root', 'overlay', 'busybox') || (haveDocker() ? false : 'docker CLI not installed');
let c: CliDaemon;
let tmp: string;
before(async () => {
  if (skip) return;
  c = await startCliDaemon();
  tmp = mkdtempSync('/tmp/berth-test-cli-more-');
});
after(async () => {
  if (!c) return;
  const ids = (await c.berth(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
  if (ids.length) await c.berth(['rm', '-f', ...ids]);
  await c.berth(['rmi', '-f', 'berth-test-commit:v1']);
  await c.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** A shell pipeline with `berth` (dev mode) and `docker` pointed at the test daemon. */
function sh(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', ['-c', script], { env: { ...process.env, ...c.d.dockerEnv, BERTH_DEV: '1', BERTH: BERTH_BIN }, maxBuffer: 64 << 20, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr }));
  });
}

const both = async (args: string[]) => {
  const [b, d] = await Promise.all([c.berth(args), c.docker(args)]);
  return { b, d };
};

const run = async (...args: string[]) => {
  const r = await c.berth(['run', '-d', ...args]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
};

test('diff: identical to docker diff, also as `container diff`', { skip }, async () => {
  const id = await run('--name', 'df', 'busybox', 'sh', '-c', 'mkdir -p /newdir/sub && echo x > /newdir/sub/f && echo y >> /etc/profile; rm -f /bin/whoami; touch /tmp/t; sleep 60');
  await sh('sleep 1');
  for (const args of [['diff', id], ['container', 'diff', 'df']]) {
    const { b, d } = await both(args);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout, d.stdout, args.join(' '));
    assert.match(b.stdout, /^A \/newdir$/m);
    assert.match(b.stdout, /^D \/bin\/whoami$/m);
  }
  const { b, d } = await both(['diff', 'nosuch']);
  assert.deepEqual([b.code, b.stderr.replace(/^berth: /, '')], [d.code, d.stderr]);
});

test('export: -o and stdout give the tar listing docker export gives', { skip }, async () => {
  await run('--name', 'ex', 'busybox', 'sh', '-c', 'echo hi > /hello; sleep 60');
  await sh('sleep 1');
  const b = await sh(`$BERTH export -o ${tmp}/b.tar ex && tar -tvf ${tmp}/b.tar | sort`);
  const d = await sh(`docker export -o ${tmp}/d.tar ex && tar -tvf ${tmp}/d.tar | sort`);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.stdout, d.stdout);
  assert.match(b.stdout, / hello$/m);
  const piped = await sh('$BERTH container export ex | tar -t | sort');
  assert.equal(piped.stdout, (await sh(`tar -tf ${tmp}/d.tar | sort`)).stdout);
});

test('cp: round trip both ways, rename to a new name, -L, - as a tar stream, same result as docker cp', { skip }, async () => {
  await run('--name', 'cpc', 'busybox', 'sleep', '60');
  const src = join(tmp, 'src');
  mkdirSync(join(src, 'sub'), { recursive: true });
  writeFileSync(join(src, 'a.txt'), 'alpha\n');
  writeFileSync(join(src, 'sub', 'b.txt'), 'beta\n');
  symlinkSync('a.txt', join(src, 'link'));
  writeFileSync(join(tmp, 'single'), 'one\n');
  symlinkSync(join(tmp, 'single'), join(tmp, 'single-link'));
  // host → container: a directory to a new name, into an existing dir, a file to a new name.
  for (const [cli, suffix] of [['$BERTH', 'b'], ['docker', 'd']]) {
    const r = await sh(`${cli} cp ${src} cpc:/new-${suffix} && ${cli} cp ${src} cpc:/tmp && ${cli} cp ${tmp}/single cpc:/renamed-${suffix} && ${cli} cp -L ${tmp}/single-link cpc:/root/`);
    assert.equal(r.code, 0, r.stderr);
  }
  const find = async (p: string) => (await c.berth(['exec', 'cpc', 'sh', '-c', `cd ${p} && find . | sort && cat a.txt sub/b.txt && readlink link`])).stdout;
  assert.equal(await find('/new-b'), await find('/new-d'));
  assert.equal(await find('/new-b'), '.\n./a.txt\n./link\n./sub\n./sub/b.txt\nalpha\nbeta\na.txt\n');
  assert.equal(await find('/tmp/src'), await find('/new-d'));
  assert.equal((await c.berth(['exec', 'cpc', 'cat', '/renamed-b', '/root/single-link'])).stdout, 'one\none\n');
  // container → host.
  const outB = join(tmp, 'out-b');
  const outD = join(tmp, 'out-d');
  for (const [cli, out] of [['$BERTH', outB], ['docker', outD]]) {
    const r = await sh(`${cli} cp cpc:/new-b ${out} && ${cli} cp cpc:/new-b ${out} && ${cli} cp cpc:/etc/hostname ${out}/host-name && ${cli} cp cpc:/new-b/. ${out}-flat`);
    assert.equal(r.code, 0, r.stderr);
  }
  const tree = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort().map((p) => `${p}:${statSync(join(dir, p)).isDirectory() ? 'd' : readFileSync(join(dir, p), 'utf8')}`);
  assert.deepEqual(tree(outB), tree(outD));
  assert.deepEqual(tree(`${outB}-flat`), tree(`${outD}-flat`));
  assert.ok(tree(outB).includes('new-b/sub/b.txt:beta\n'));
  // `-`: a tar on stdout, and a tar on stdin.
  const lb = await sh('$BERTH cp cpc:/new-b - | tar -t | sort');
  const ld = await sh('docker cp cpc:/new-b - | tar -t | sort');
  assert.equal(lb.stdout, ld.stdout);
  assert.match(lb.stdout, /^new-b\/sub\/b\.txt$/m);
  const r = await sh(`tar -C ${src} -c . | $BERTH cp - cpc:/var && $BERTH exec cpc cat /var/sub/b.txt`);
  assert.deepEqual([r.code, r.stdout], [0, 'beta\n'], r.stderr);
  // errors.
  const e1 = await c.berth(['cp', 'cpc:/nosuch', tmp]);
  const e2 = await c.docker(['cp', 'cpc:/nosuch', tmp]);
  assert.deepEqual([e1.code, e1.stderr], [e2.code, e2.stderr]);
  assert.equal((await c.berth(['cp', 'a', 'b'])).stderr, 'must specify at least one container source\n');
});

test('update: resources and restart policy reflected in inspect', { skip }, async () => {
  await run('--name', 'up', 'busybox', 'sleep', '60');
  const r = await c.berth(['update', '--memory', '64m', '--memory-swap', '128m', '--cpus', '0.5', '--cpu-shares', '512', '--pids-limit', '50', '--restart', 'on-failure:3', 'up']);
  assert.deepEqual([r.code, r.stdout], [0, 'up\n'], r.stderr);
  const f = '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}';
  assert.equal((await c.berth(['inspect', '-f', f, 'up'])).stdout, '67108864 134217728 500000000 512 50 on-failure:3\n');
  const u2 = await c.berth(['container', 'update', '--cpuset-cpus', '0', 'up']);
  assert.equal(u2.code, 0, u2.stderr);
  assert.equal((await c.berth(['inspect', '-f', '{{.HostConfig.CpusetCpus}} {{.HostConfig.Memory}}', 'up'])).stdout, '0 67108864\n');
  const none = await c.berth(['update', 'up']);
  assert.deepEqual([none.code, none.stderr], [1, 'you must provide one or more flags when using this command\n']);
  const { b, d } = await both(['update', '--memory', '64m', 'nosuch']);
  assert.deepEqual([b.code, b.stderr], [d.code, d.stderr]);
});

test('commit: -a -m -c, then run the new image', { skip }, async () => {
  await run('--name', 'cm', 'busybox', 'sh', '-c', 'echo committed > /data.txt; sleep 60');
  await sh('sleep 1');
  const r = await c.berth(['commit', '-a', 'Berth Tester', '-m', 'a message', '-c', 'ENV GREETING=hey', '-c', 'CMD ["cat", "/data.txt"]', 'cm', 'berth-test-commit:v1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  const out = await c.berth(['run', '--rm', 'berth-test-commit:v1']);
  assert.deepEqual([out.code, out.stdout], [0, 'committed\n'], out.stderr);
  assert.equal((await c.berth(['run', '--rm', 'berth-test-commit:v1', 'sh', '-c', 'echo $GREETING'])).stdout, 'hey\n');
  const meta = await c.docker(['image', 'inspect', '-f', '{{.Author}}|{{.Comment}}|{{.Id}}', 'berth-test-commit:v1']);
  assert.equal(meta.stdout, `Berth Tester|a message|${r.stdout.trim()}\n`);
  const bare = await c.berth(['container', 'commit', '--pause=false', 'cm']);
  assert.match(bare.stdout, /^sha256:[0-9a-f]{64}\n$/, bare.stderr);
});

test('stats --no-stream: same rows and headers as docker stats; json; streaming prints blocks', { skip }, async () => {
  await run('--name', 'st1', 'busybox', 'sleep', '60');
  await run('--name', 'st2', 'busybox', 'sh', '-c', 'sleep 60 & sleep 60');
  for (const args of [['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}}', 'st1', 'st2'], ['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}} {{.ID}}'],
    ['container', 'stats', '--no-stream', '--format', 'table {{.Container}}\t{{.Name}}\t{{.PIDs}}', 'st2'], ['stats', '--no-stream', '--no-trunc', '--format', '{{.ID}}', 'st1']]) {
    const { b, d } = await both(args);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout, d.stdout, args.join(' '));
  }
  const { b, d } = await both(['stats', '--no-stream', 'st1']);
  assert.equal(b.stdout.split('\n')[0], d.stdout.split('\n')[0]);
  assert.match(b.stdout.split('\n')[1], /^[0-9a-f]{12} +st1 +\d+\.\d\d% +[\d.]+[KMG]?i?B \/ [\d.]+[KMGT]?i?B +\d+\.\d\d% +.+ \/ .+ +.+ \/ .+ +1$/);
  const j = await c.berth(['stats', '--no-stream', '--format', 'json', 'st2']);
  assert.deepEqual(Object.keys(JSON.parse(j.stdout)), ['BlockIO', 'CPUPerc', 'Container', 'ID', 'MemPerc', 'MemUsage', 'Name', 'NetIO', 'PIDs']);
  const nf = await both(['stats', '--no-stream', 'nosuch']);
  assert.deepEqual([nf.b.code, nf.b.stderr], [nf.d.code, nf.d.stderr]);
  // Streaming to a pipe: successive table blocks, no escape sequences.
  const s = await sh('timeout -s INT 3 $BERTH stats --format "{{.Name}} {{.PIDs}}" st1; true');
  const lines = s.stdout.split('\n').filter(Boolean);
  assert.ok(lines.length >= 2, s.stdout + s.stderr);
  assert.ok(lines.every((l) => l === 'st1 1'), s.stdout);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from '../../flags/parse-flags.ts';
import { buildCreate } from './create-body.ts';
import { CREATE_FLAGS, RUN_ONLY_FLAGS } from './create-flags.ts';
import { parseMount, parsePublish, parseRestart, parseUlimit } from './create-parsers.ts';

const files: Record<string, string> = { '/e.env': '# comment\nA=1\n\nFROM_HOST\nB=two words\n', '/seccomp.json': '{ "defaultAction": "SCMP_ACT_ALLOW" }' };
const deps = { env: { FROM_HOST: 'h', HOME: '/root' }, readFile: (p: string) => files[p] };
const build = (argv: string[], detach = false) => {
  const { flags, args } = parseFlags(argv, [...CREATE_FLAGS, ...RUN_ONLY_FLAGS], { interspersed: false });
  return buildCreate(flags, args, deps, detach);
};

test('run flags → Config and HostConfig as the docker CLI builds them', () => {
  const r = build(['-it', '--rm', '--name', 'web', '-e', 'X=1', '-e', 'FROM_HOST', '--env-file', '/e.env', '-v', '/src:/dst:ro', '-v', '/anon',
    '-p', '127.0.0.1:8080:80', '-w', '/w', '-u', '1000:1000', '--entrypoint', '/bin/sh', '--init', '--restart', 'on-failure:3', '--memory', '64m',
    '--cpus', '1.5', '--pids-limit', '100', '--ulimit', 'nofile=1024:2048', '--cap-add', 'NET_ADMIN', '--cap-drop', 'ALL', '--privileged', '--read-only',
    '--tmpfs', '/run:size=1m', '--security-opt', 'no-new-privileges', '--hostname', 'h1', '-l', 'a=b', '--label', 'c', '--network', 'host',
    '--stop-signal', 'SIGUSR1', '--stop-timeout', '7', 'busybox', 'echo', 'hi']);
  const b = r.body as Record<string, any>;
  assert.equal(r.name, 'web');
  assert.equal(r.image, 'busybox');
  assert.deepEqual(b.Cmd, ['echo', 'hi']);
  assert.deepEqual(b.Entrypoint, ['/bin/sh']);
  assert.deepEqual(b.Env, ['A=1', 'FROM_HOST=h', 'B=two words', 'X=1', 'FROM_HOST=h']);
  assert.equal(b.Tty, true);
  assert.equal(b.OpenStdin, true);
  assert.equal(b.AttachStdin, true);
  assert.equal(b.StdinOnce, true);
  assert.deepEqual(b.Labels, { a: 'b', c: '' });
  assert.deepEqual(b.Volumes, { '/anon': {} });
  assert.deepEqual(b.ExposedPorts, { '80/tcp': {} });
  assert.equal(b.StopSignal, 'SIGUSR1');
  assert.equal(b.StopTimeout, 7);
  const h = b.HostConfig;
  assert.deepEqual(h.Binds, ['/src:/dst:ro']);
  assert.deepEqual(h.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] });
  assert.deepEqual(h.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.equal(h.AutoRemove, true);
  assert.equal(h.Init, true);
  assert.equal(h.Memory, 64 * 1024 * 1024);
  assert.equal(h.NanoCpus, 1_500_000_000);
  assert.equal(h.PidsLimit, 100);
  assert.deepEqual(h.Ulimits, [{ Name: 'nofile', Soft: 1024, Hard: 2048 }]);
  assert.deepEqual(h.CapAdd, ['NET_ADMIN']);
  assert.deepEqual(h.CapDrop, ['ALL']);
  assert.equal(h.Privileged, true);
  assert.equal(h.ReadonlyRootfs, true);
  assert.deepEqual(h.Tmpfs, { '/run': 'size=1m' });
  assert.deepEqual(h.SecurityOpt, ['no-new-privileges']);
  assert.equal(h.NetworkMode, 'host');
  assert.equal(b.Hostname, 'h1');
  assert.equal(b.WorkingDir, '/w');
  assert.equal(b.User, '1000:1000');
});

test('defaults: no -i means no stdin, -d attaches nothing, --entrypoint= resets, init unset', () => {
  const b = build(['busybox']).body as Record<string, any>;
  assert.equal(b.AttachStdin, false);
  assert.equal(b.AttachStdout, true);
  assert.equal(b.Cmd, null);
  assert.equal(b.Entrypoint, null);
  assert.equal(b.HostConfig.Init, undefined);
  assert.equal(b.HostConfig.NetworkMode, 'default');
  assert.deepEqual(b.HostConfig.RestartPolicy, { Name: 'no', MaximumRetryCount: 0 });
  const d = build(['-d', '-i', 'busybox'], true).body as Record<string, any>;
  assert.equal(d.AttachStdout, false);
  assert.equal(d.OpenStdin, true);
  assert.equal(d.StdinOnce, false);
  assert.deepEqual((build(['--entrypoint=', 'busybox']).body as Record<string, any>).Entrypoint, ['']);
  assert.deepEqual((build(['-a', 'stderr', 'busybox']).body as Record<string, any>).AttachStdout, false);
});

test('seccomp profiles are read and inlined', () => {
  const b = build(['--security-opt', 'seccomp=/seccomp.json', 'busybox']).body as Record<string, any>;
  assert.deepEqual(b.HostConfig.SecurityOpt, ['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']);
});

test('value parsers: -p, --mount, --ulimit, --restart', () => {
  assert.deepEqual(parsePublish('80'), [{ key: '80/tcp', binding: { HostIp: '', HostPort: '' } }]);
  assert.deepEqual(parsePublish('8000-8001:80-81/udp').map((x) => `${x.key}=${x.binding.HostPort}`), ['80/udp=8000', '81/udp=8001']);
  assert.deepEqual(parsePublish('[::1]:53:53/udp'), [{ key: '53/udp', binding: { HostIp: '::1', HostPort: '53' } }]);
  assert.throws(() => parsePublish('80/frob'), /invalid proto/);
  assert.deepEqual(parseMount('type=bind,source=/a,target=/b,readonly'), { Type: 'bind', Source: '/a', Target: '/b', ReadOnly: true });
  assert.deepEqual(parseMount('type=tmpfs,dst=/t,tmpfs-size=1024'), { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1024 } });
  assert.throws(() => parseMount('type=bind,source=/a'), /target is required/);
  assert.deepEqual(parseUlimit('nproc=10'), { Name: 'nproc', Soft: 10, Hard: 10 });
  assert.throws(() => parseUlimit('nofile=10:5'), /soft limit/);
  assert.throws(() => parseRestart('sometimes'), /unknown policy/);
  assert.throws(() => parseRestart('always:3'), /maximum retry count/);
});

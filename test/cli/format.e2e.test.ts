// --format printing of whole structs, maps and slices (Go's fmt %v): berth against the real
// docker CLI on the same berthd, template by template.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { haveDocker } from '../e2e/support/docker-cli.ts';
import { requires } from '../support/requires.ts';
import { startCliDaemon, type CliDaemon } from './support.ts';

const skip = requires('root', 'overlay', 'busybox') || (haveDocker() ? false : 'docker CLI not installed');
let c: CliDaemon;
before(async () => {
  if (skip) return;
  c = await startCliDaemon();
  const ok = async (args: string[]) => { const r = await c.docker(args); assert.equal(r.code, 0, r.stderr); };
  await ok(['run', '-d', '--name', 'fmt-run', '--label', 'b=2', '--label', 'a=1', '-e', 'X=y', '--restart', 'on-failure:3', '--expose', '80',
    '-v', 'fmt-vol:/data', '--ulimit', 'nofile=1024:2048', '--stop-timeout', '7', '--health-cmd', 'true', '--health-interval', '90s',
    '--network', 'none', 'busybox', 'sleep', '60']);
  await ok(['create', '--name', 'fmt-created', '--init', 'busybox', 'true']);
});
after(async () => {
  if (!c) return;
  await c.docker(['rm', '-f', '-v', 'fmt-run', 'fmt-created']);
  await c.docker(['volume', 'rm', 'fmt-vol']);
  await c.stop();
});

const TEMPLATES = [
  '{{.State}}', '{{.State.Health}}', '{{.Config.Labels}}', '{{.Config.Env}}', '{{.Config.Cmd}}', '{{.Config.Entrypoint}}',
  '{{.Config.ExposedPorts}}', '{{.Config.Volumes}}', '{{.Config.Healthcheck}}', '{{.Config.StopTimeout}}', '{{.Config}}',
  '{{.HostConfig}}', '{{.NetworkSettings}}', '{{.HostConfig.RestartPolicy}}', '{{.HostConfig.LogConfig}}', '{{.HostConfig.Ulimits}}', '{{.HostConfig.PortBindings}}',
  '{{.HostConfig.Init}}', '{{.HostConfig.Binds}}', '{{.Mounts}}', '{{range .Mounts}}{{.}}{{end}}', '{{.GraphDriver}}',
  '{{.NetworkSettings.Ports}}', '{{.SizeRw}}', '{{.Config.Labels.a}}', '{{.Config.Labels.nope}}', '{{with .State}}{{.Status}} {{.Pid | printf "%d" | len | printf "%d"}}{{end}}',
];

for (const name of ['fmt-run', 'fmt-created']) {
  test(`inspect --format on ${name}: berth prints what docker prints`, { skip }, async () => {
    for (const t of TEMPLATES) {
      const [b, d] = await Promise.all([c.berth(['inspect', '-f', t, name]), c.docker(['inspect', '-f', t, name])]);
      assert.equal(d.code, 0, `docker ${t}: ${d.stderr}`);
      // Go prints a nested non-nil pointer as its address: only that may differ.
      const addr = (x: string) => x.replace(/0xc[0-9a-f]+/g, '0xADDR');
      assert.equal(addr(b.stdout), addr(d.stdout), `${t} on ${name}`);
    }
  });
}

test('a field the data lacks: berth fails as docker does (inspect: missingkey=error on the raw JSON; ps: the row type)', { skip }, async () => {
  const cases: string[][] = [
    ['inspect', '-f', '{{.Nope}}', 'fmt-run'],
    ['inspect', '-f', 'x {{.State.Nope}}', 'fmt-run'],
    ['inspect', '-f', '{{.State.Health}} {{.Config.Labels.nope}}', 'fmt-created'], // known fields, no error
    ['ps', '-a', '--filter', 'name=fmt-', '--format', '{{.Names}} {{.Nope}}'],
    ['ps', '-a', '--filter', 'name=fmt-', '--format', '{{.Names}}\n{{if .Nope}}x{{end}}'],
    ['ps', '-a', '--filter', 'name=fmt-run', '--format', '{{.Names}} {{.Label "a"}}'],
  ];
  for (const args of cases) {
    const [b, d] = await Promise.all([c.berth(args), c.docker(args)]);
    assert.equal(b.code, d.code, `${args.join(' ')}: berth ${b.code} (${b.stderr}) docker ${d.code} (${d.stderr})`);
    assert.equal(b.stdout, d.stdout, args.join(' '));
    if (d.code !== 0) assert.equal(b.stderr.trim(), d.stderr.trim(), args.join(' '));
  }
});

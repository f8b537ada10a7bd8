// `berth info` / `berth system info`: the server's facts in the docker CLI's layout, or --format.
import type { SystemInfo } from '../../../api/system-types.ts';
import { clientBuild } from '../../build-info.ts';
import { str, type Command } from '../../command.ts';
import { compileTemplate } from '../../format/go-template.ts';
import { bytesSize } from '../../format/human-units.ts';
import { goJson } from '../../format/render.ts';

function serverText(i: SystemInfo): string {
  const l: string[] = [];
  l.push(` Containers: ${i.Containers}`, `  Running: ${i.ContainersRunning}`, `  Paused: ${i.ContainersPaused}`, `  Stopped: ${i.ContainersStopped}`);
  l.push(` Images: ${i.Images}`, ` Server Version: ${i.ServerVersion}`, ` Storage Driver: ${i.Driver}`);
  for (const [k, v] of i.DriverStatus ?? []) l.push(`  ${k}: ${v}`);
  l.push(` Logging Driver: ${i.LoggingDriver}`, ` Cgroup Driver: ${i.CgroupDriver}`, ` Cgroup Version: ${i.CgroupVersion}`, ' Plugins:');
  l.push(`  Volume: ${(i.Plugins?.Volume ?? []).join(' ')}`, `  Network: ${(i.Plugins?.Network ?? []).join(' ')}`, `  Log: ${(i.Plugins?.Log ?? []).join(' ')}`);
  l.push(` Swarm: ${i.Swarm?.LocalNodeState ?? 'inactive'}`, ` Runtimes: ${Object.keys(i.Runtimes ?? {}).sort().join(' ')}`, ` Default Runtime: ${i.DefaultRuntime}`);
  l.push(` Init Binary: ${i.InitBinary}`, ` containerd version: ${i.ContainerdCommit?.ID ?? ''}`, ` runc version: ${i.RuncCommit?.ID ?? ''}`, ` init version: ${i.InitCommit?.ID ?? ''}`);
  if (i.SecurityOptions?.length) {
    l.push(' Security Options:');
    for (const o of i.SecurityOptions) {
      const kv = Object.fromEntries(o.split(',').map((p) => p.split('=') as [string, string]));
      l.push(`  ${kv.name}`);
      for (const [k, v] of Object.entries(kv)) if (k !== 'name') l.push(`   ${k[0].toUpperCase()}${k.slice(1)}: ${v}`);
    }
  }
  l.push(` Kernel Version: ${i.KernelVersion}`, ` Operating System: ${i.OperatingSystem}`, ` OSType: ${i.OSType}`, ` Architecture: ${i.Architecture}`);
  l.push(` CPUs: ${i.NCPU}`, ` Total Memory: ${bytesSize(i.MemTotal)}`, ` Name: ${i.Name}`, ` ID: ${i.ID}`, ` Docker Root Dir: ${i.DockerRootDir}`);
  l.push(` Debug Mode: ${i.Debug}`, ` Experimental: ${i.ExperimentalBuild}`);
  if (i.Labels?.length) l.push(' Labels:', ...i.Labels.map((x) => `  ${x}`));
  const ins = i.RegistryConfig?.InsecureRegistryCIDRs ?? [];
  const insNames = Object.values(i.RegistryConfig?.IndexConfigs ?? {}).filter((x) => !x.Secure).map((x) => x.Name);
  if (ins.length || insNames.length) l.push(' Insecure Registries:', ...[...insNames, ...ins].map((x) => `  ${x}`));
  if (i.RegistryConfig?.Mirrors?.length) l.push(' Registry Mirrors:', ...i.RegistryConfig.Mirrors.map((x) => `  ${x}`));
  l.push(` Live Restore Enabled: ${i.LiveRestoreEnabled}`);
  return `${l.join('\n')}\n`;
}

export const info: Command = {
  name: 'info',
  usage: '[OPTIONS]',
  summary: 'Display system-wide information',
  args: { max: 0 },
  flags: [{ name: 'format', short: 'f', kind: 'string', help: 'Format output using a custom template' }],
  async run(ctx, f) {
    const format = str(f, 'format');
    const i = await ctx.client.info();
    if (format) {
      ctx.out(`${format === 'json' ? goJson(i) : compileTemplate(format.replace(/\\n/g, '\n').replace(/\\t/g, '\t')).execute(i)}\n`);
      return;
    }
    ctx.out(`Client:\n Version:    ${clientBuild().version}\n Context:    default\n Debug Mode: ${ctx.debug}\n\nServer:\n${serverText(i)}`);
    if (i.Warnings?.length) ctx.err(`${i.Warnings.join('\n')}\n`);
  },
};

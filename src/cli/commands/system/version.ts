// `berth version`: client and server sections in the docker CLI's layout, or --format.
import type { VersionResponse } from '../../../api/system-types.ts';
import { MAX_API_VERSION } from '../../../api/version.ts';
import { clientBuild } from '../../build-info.ts';
import { str, type Command } from '../../command.ts';
import { ansic } from '../../format/go-time-ansic.ts';
import { compileTemplate } from '../../format/go-template.ts';
import { goJson } from '../../format/render.ts';
import { tabwrite } from '../../format/tabwriter.ts';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', s390x: 's390x', ppc64: 'ppc64le', riscv64: 'riscv64' };
export const goArch = (a: string): string => ARCH[a] ?? a;

export const version: Command = {
  name: 'version',
  usage: '[OPTIONS]',
  summary: 'Show the berth version information',
  args: { max: 0 },
  flags: [{ name: 'format', short: 'f', kind: 'string', help: 'Format output using a custom template' }],
  async run(ctx, f) {
    const b = clientBuild();
    let server: VersionResponse | undefined;
    let serverErr: unknown;
    try { server = await ctx.client.serverVersion(); } catch (err) { serverErr = err; }
    const apiVersion = server ? await ctx.client.apiVersion() : MAX_API_VERSION;
    const client = {
      Platform: { Name: '' }, Version: b.version, ApiVersion: apiVersion, DefaultAPIVersion: MAX_API_VERSION,
      GitCommit: b.gitCommit, GoVersion: `node ${process.version}`, Os: 'linux', Arch: goArch(process.arch), BuildTime: '', Context: 'default',
    };
    const format = str(f, 'format');
    if (format) {
      const data = { Client: client, Server: server ?? null };
      ctx.out(`${format === 'json' ? goJson(data) : compileTemplate(format.replace(/\\n/g, '\n').replace(/\\t/g, '\t')).execute(data)}\n`);
      if (serverErr) throw serverErr;
      return;
    }
    let s = `Client:\n Version:\t${client.Version}\n API version:\t${client.ApiVersion}${client.ApiVersion !== MAX_API_VERSION ? ` (downgraded from ${MAX_API_VERSION})` : ''}\n`;
    s += ` Go version:\t${client.GoVersion}\n Git commit:\t${client.GitCommit}\n Built:\t${client.BuildTime}\n OS/Arch:\t${client.Os}/${client.Arch}\n Context:\t${client.Context}\n`;
    if (server) {
      s += `\nServer:${server.Platform?.Name ? ` ${server.Platform.Name}` : ''}\n`;
      for (const c of server.Components ?? []) {
        s += ` ${c.Name}:\n`;
        if (c.Name === 'Engine') {
          const d = c.Details ?? {};
          s += `  Version:\t${c.Version}\n  API version:\t${d.ApiVersion} (minimum version ${d.MinAPIVersion})\n  Go version:\t${d.GoVersion}\n`;
          s += `  Git commit:\t${d.GitCommit}\n  Built:\t${ansic(d.BuildTime ?? '')}\n  OS/Arch:\t${d.Os}/${d.Arch}\n  Experimental:\t${d.Experimental}\n`;
        } else {
          s += `  Version:\t${c.Version}\n`;
          for (const [k, v] of Object.entries(c.Details ?? {}).sort(([a], [z]) => (a < z ? -1 : 1))) s += `  ${k}:\t${v}\n`;
        }
      }
    }
    ctx.out(tabwrite(s, { minwidth: 20, padding: 1 }));
    if (serverErr) throw serverErr;
  },
};

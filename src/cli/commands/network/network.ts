// `berth network create|ls|inspect|rm|prune|connect|disconnect`, as the docker CLI prints them.
import { encodeFilters } from '../../../api/filters.ts';
import { bool, list, str, type Command } from '../../command.ts';
import { parseFilterFlags } from '../../filters-flag.ts';
import { render } from '../../format/render.ts';
import { confirm } from '../../prompt.ts';
import { inspectObjects } from '../container/inspect.ts';
import { forEachContainer } from '../container/for-each.ts';
import { keyValues } from '../../key-values.ts';
import { ipamConfig } from './network-body.ts';

interface ApiNetwork { Id: string; Name: string; Driver: string; Scope: string; EnableIPv6?: boolean; Internal?: boolean; Labels?: Record<string, string> | null; Created?: string }

const TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}';
const HEADERS = { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv6: 'IPV6', Internal: 'INTERNAL', Labels: 'LABELS', CreatedAt: 'CREATED AT' };

const labelText = (l: Record<string, string> | null | undefined) => Object.entries(l ?? {}).map(([k, v]) => `${k}=${v}`).join(',');

const create: Command = {
  name: 'create', usage: '[OPTIONS] NETWORK', summary: 'Create a network', args: { min: 1, max: 1 },
  flags: [
    { name: 'attachable', kind: 'bool', help: 'Enable manual container attachment' },
    { name: 'aux-address', kind: 'list', help: 'Auxiliary IPv4 or IPv6 addresses used by Network driver' },
    { name: 'driver', short: 'd', kind: 'string', default: 'bridge', help: 'Driver to manage the Network' },
    { name: 'gateway', kind: 'list', help: 'IPv4 or IPv6 Gateway for the master subnet' },
    { name: 'internal', kind: 'bool', help: 'Restrict external access to the network' },
    { name: 'ip-range', kind: 'list', help: 'Allocate container ip from a sub-range' },
    { name: 'ipam-driver', kind: 'string', default: 'default', help: 'IP Address Management Driver' },
    { name: 'ipam-opt', kind: 'list', help: 'Set IPAM driver specific options' },
    { name: 'ipv6', kind: 'bool', help: 'Enable or disable IPv6 networking' },
    { name: 'label', kind: 'list', help: 'Set metadata on a network' },
    { name: 'opt', short: 'o', kind: 'list', help: 'Set driver specific options' },
    { name: 'subnet', kind: 'list', help: 'Subnet in CIDR format that represents a network segment' },
  ],
  async run(ctx, f, args) {
    const config = ipamConfig({ subnets: list(f, 'subnet'), ipRanges: list(f, 'ip-range'), gateways: list(f, 'gateway'), auxAddresses: list(f, 'aux-address') });
    const r = await ctx.client.json<{ Id: string }>('POST', '/networks/create', {
      body: {
        Name: args[0], Driver: str(f, 'driver') || 'bridge', Options: keyValues(list(f, 'opt')), Labels: keyValues(list(f, 'label')),
        Internal: bool(f, 'internal'), Attachable: bool(f, 'attachable'), ...(f.ipv6 !== undefined ? { EnableIPv6: bool(f, 'ipv6') } : {}),
        IPAM: { Driver: str(f, 'ipam-driver') || 'default', Config: config, Options: keyValues(list(f, 'ipam-opt')) },
      },
    });
    ctx.out(`${r.Id}\n`);
  },
};

const ls: Command = {
  name: 'ls', aliases: ['list'], usage: '[OPTIONS]', summary: 'List networks', args: { max: 0 },
  flags: [
    { name: 'filter', short: 'f', kind: 'list', help: 'Provide filter values (e.g. "driver=bridge")' },
    { name: 'format', kind: 'string', help: 'Format output using a custom template' },
    { name: 'no-trunc', kind: 'bool', help: 'Do not truncate the output' },
    { name: 'quiet', short: 'q', kind: 'bool', help: 'Only display network IDs' },
  ],
  async run(ctx, f) {
    const filters = parseFilterFlags(list(f, 'filter'));
    const nets = await ctx.client.json<ApiNetwork[]>('GET', '/networks', { query: { filters: Object.keys(filters).length ? encodeFilters(filters) : undefined } });
    const trunc = !bool(f, 'no-trunc');
    const rows = [...nets].sort((a, b) => a.Name.localeCompare(b.Name, undefined, { numeric: true })).map((n) => ({
      ID: trunc ? n.Id.slice(0, 12) : n.Id, Name: n.Name, Driver: n.Driver, Scope: n.Scope, IPv6: String(!!n.EnableIPv6), Internal: String(!!n.Internal),
      Labels: labelText(n.Labels), Label: (k: string) => n.Labels?.[k] ?? '', CreatedAt: n.Created ?? '',
    }));
    const format = bool(f, 'quiet') ? '{{.ID}}' : str(f, 'format') || 'table';
    ctx.out(render(rows, { format, defaultTable: TABLE, headers: HEADERS, goType: '*formatter.networkContext', fields: ['Label'] }));
  },
};

const inspect: Command = {
  name: 'inspect', usage: '[OPTIONS] NETWORK [NETWORK...]', summary: 'Display detailed information on one or more networks', args: { min: 1 },
  flags: [
    { name: 'format', short: 'f', kind: 'string', help: 'Format output using a custom template' },
    { name: 'verbose', short: 'v', kind: 'bool', help: 'Verbose output for diagnostics' },
  ],
  run: (ctx, f, args) => inspectObjects(ctx, args, ['network'], str(f, 'format'), false, false),
};

const rm: Command = {
  name: 'rm', aliases: ['remove'], usage: 'NETWORK [NETWORK...]', summary: 'Remove one or more networks', args: { min: 1 },
  flags: [{ name: 'force', short: 'f', kind: 'bool', help: 'Do not error if the network does not exist' }],
  run: (ctx, f, args) => forEachContainer(ctx, args, async (id) => {
    try {
      await ctx.client.json('DELETE', `/networks/${encodeURIComponent(id)}`);
    } catch (e) {
      if (!(bool(f, 'force') && (e as { status?: number }).status === 404)) throw e;
    }
  }),
};

const prune: Command = {
  name: 'prune', usage: '[OPTIONS]', summary: 'Remove all unused networks', args: { max: 0 },
  flags: [
    { name: 'filter', kind: 'list', help: 'Provide filter values (e.g. "until=<timestamp>")' },
    { name: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
  ],
  async run(ctx, f) {
    if (!bool(f, 'force') && !(await confirm(ctx, 'WARNING! This will remove all custom networks not used by at least one container.'))) return;
    const filters = parseFilterFlags(list(f, 'filter'));
    const r = await ctx.client.json<{ NetworksDeleted?: string[] | null }>('POST', '/networks/prune', { query: { filters: Object.keys(filters).length ? encodeFilters(filters) : undefined } });
    if (r.NetworksDeleted?.length) ctx.out(`Deleted Networks:\n${r.NetworksDeleted.join('\n')}\n`);
  },
};

const connect: Command = {
  name: 'connect', usage: '[OPTIONS] NETWORK CONTAINER', summary: 'Connect a container to a network', args: { min: 2, max: 2 },
  flags: [
    { name: 'alias', kind: 'list', help: 'Add network-scoped alias for the container' },
    { name: 'driver-opt', kind: 'list', help: 'driver options for the network' },
    { name: 'ip', kind: 'string', help: 'IPv4 address (e.g., "172.30.100.104")' },
    { name: 'ip6', kind: 'string', help: 'IPv6 address (e.g., "2001:db8::33")' },
    { name: 'link', kind: 'list', help: 'Add link to another container' },
    { name: 'link-local-ip', kind: 'list', help: 'Add a link-local address for the container' },
  ],
  async run(ctx, f, args) {
    const ipam = str(f, 'ip') || str(f, 'ip6') || list(f, 'link-local-ip').length
      ? { IPv4Address: str(f, 'ip'), IPv6Address: str(f, 'ip6'), LinkLocalIPs: list(f, 'link-local-ip') } : undefined;
    await ctx.client.json('POST', `/networks/${encodeURIComponent(args[0])}/connect`, {
      body: { Container: args[1], EndpointConfig: { IPAMConfig: ipam, Links: list(f, 'link'), Aliases: list(f, 'alias'), DriverOpts: keyValues(list(f, 'driver-opt')) } },
    });
  },
};

const disconnect: Command = {
  name: 'disconnect', usage: '[OPTIONS] NETWORK CONTAINER', summary: 'Disconnect a container from a network', args: { min: 2, max: 2 },
  flags: [{ name: 'force', short: 'f', kind: 'bool', help: 'Force the container to disconnect from a network' }],
  async run(ctx, f, args) {
    await ctx.client.json('POST', `/networks/${encodeURIComponent(args[0])}/disconnect`, { body: { Container: args[1], Force: bool(f, 'force') } });
  },
};

export const networkCommands: Command[] = [connect, create, disconnect, inspect, ls, prune, rm];

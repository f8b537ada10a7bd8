// Network routes of the Engine API: list, inspect, create, remove, connect, disconnect, prune —
// Docker's JSON shapes (network.Inspect, CreateResponse, PruneReport) and error texts.
import type { Router } from '../router.ts';
import type { Engine } from '../engine.ts';
import type { DaemonDeps } from '../start-daemon.ts';
import { Reply } from '../reply.ts';
import { invalidArgument } from '../../errors/errors.ts';
import type { Filters } from '../../api/system-types.ts';
import type { EndpointSettings } from '../../container/network-settings.ts';
import type { NetworkRecord } from '../network-store.ts';
import type { NetworkCreateBody } from '../network-service.ts';
import { netMode } from '../network-plan.ts';

const PREDEFINED = ['bridge', 'host', 'none'];
const FILTERS = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type', 'until'];

function view(r: NetworkRecord, containers: Record<string, unknown>): Record<string, unknown> {
  const { state: _state, ...doc } = r;
  return { ...doc, Containers: containers, Peers: undefined };
}

function labelMatch(labels: Record<string, string>, want: string): boolean {
  const eq = want.indexOf('=');
  return eq < 0 ? want in labels : labels[want.slice(0, eq)] === want.slice(eq + 1);
}

export function registerNetworkRoutes(router: Router, engine: Engine, deps: DaemonDeps): void {
  const attach = engine.network;
  const svc = attach.service;
  const c = engine.containers;
  const event = (r: NetworkRecord, Action: string, extra: Record<string, string> = {}) =>
    deps.events.publish({ Type: 'network', Action, Actor: { ID: r.Id, Attributes: { name: r.Name, type: r.Driver, ...extra } } });

  /** Running containers on a network, as inspect's Containers shows them. */
  const containersOf = (r: NetworkRecord): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (r.Driver === 'bridge') {
      for (const e of attach.containersOn(r.Id)) {
        const rec = c.records.get(e.containerId);
        const ep = rec?.NetworkSettings?.Networks[r.Name];
        out[e.containerId] = { Name: rec?.Name.slice(1) ?? '', EndpointID: ep?.EndpointID ?? '', MacAddress: e.mac, IPv4Address: `${e.ip}/${e.prefix}`, IPv6Address: '' };
      }
    } else {
      for (const rec of c.records.values()) {
        if (!rec.State.Running || netMode(rec.HostConfig).kind !== (r.Driver === 'host' ? 'host' : 'none')) continue;
        out[rec.ID] = { Name: rec.Name.slice(1), EndpointID: rec.NetworkSettings?.Networks[r.Name]?.EndpointID ?? '', MacAddress: '', IPv4Address: '', IPv6Address: '' };
      }
    }
    return out;
  };

  const select = (f: Filters): NetworkRecord[] => {
    for (const k of Object.keys(f)) if (!FILTERS.includes(k)) throw invalidArgument(`invalid filter '${k}'`);
    return [...svc.records.values()].filter((r) => {
      if (f.name && !f.name.some((n) => r.Name.includes(n))) return false;
      if (f.id && !f.id.some((x) => r.Id.startsWith(x))) return false;
      if (f.driver && !f.driver.includes(r.Driver)) return false;
      if (f.label && !f.label.every((l) => labelMatch(r.Labels, l))) return false;
      if (f.scope && !f.scope.includes('local')) return false;
      if (f.type) {
        for (const t of f.type) if (t !== 'custom' && t !== 'builtin') throw invalidArgument(`invalid filter: 'type'='${t}'`);
        const builtin = PREDEFINED.includes(r.Name);
        if (!f.type.some((t) => (t === 'builtin') === builtin)) return false;
      }
      if (f.dangling) {
        const want = f.dangling.some((d) => d === 'true' || d === '1');
        const dangling = !PREDEFINED.includes(r.Name) && Object.keys(containersOf(r)).length === 0;
        if (dangling !== want) return false;
      }
      if (f.until) {
        const lim = f.until.map((u) => (/^\d+$/.test(u) ? Number(u) * 1000 : Date.parse(u)));
        if (!lim.some((t) => Date.parse(r.Created) < t)) return false;
      }
      return true;
    });
  };

  router.add('GET', '/networks', (ctx) => select(ctx.query.filters()).map((r) => view(r, {})));
  router.add('GET', '/networks/{id}', (ctx) => {
    const r = svc.get(ctx.params.id);
    return view(r, containersOf(r));
  });
  router.add('POST', '/networks/create', async (ctx) => {
    const body = (await ctx.json<NetworkCreateBody>()) ?? {};
    const res = await svc.create(body);
    event(svc.get(res.Id), 'create');
    return Reply.json(res, 201);
  });
  router.add('DELETE', '/networks/{id}', async (ctx) => {
    event(await svc.remove(ctx.params.id), 'destroy');
    return Reply.empty(204);
  });
  router.add('POST', '/networks/{id}/connect', async (ctx) => {
    const body = (await ctx.json<{ Container?: string; EndpointConfig?: EndpointSettings | null }>()) ?? {};
    if (!body.Container) throw invalidArgument('no container specified');
    const r = svc.get(ctx.params.id);
    const id = await c.withRecord(body.Container, async (rec) => { await attach.connect(rec, r.Id, body.EndpointConfig); return rec.ID; });
    event(r, 'connect', { container: id });
  });
  router.add('POST', '/networks/{id}/disconnect', async (ctx) => {
    const body = (await ctx.json<{ Container?: string; Force?: boolean }>()) ?? {};
    if (!body.Container) throw invalidArgument('no container specified');
    const id = await c.withRecord(body.Container, async (rec) => { await attach.disconnect(rec, ctx.params.id, !!body.Force); return rec.ID; });
    const r = [...svc.records.values()].find((n) => n.Id === ctx.params.id || n.Name === ctx.params.id);
    if (r) event(r, 'disconnect', { container: id });
  });
  router.add('POST', '/networks/prune', async (ctx) => {
    const f = ctx.query.filters();
    const deleted: string[] = [];
    const candidates = select({ ...(f.until ? { until: f.until } : {}), ...(f.label ? { label: f.label } : {}) });
    for (const r of candidates) {
      if (PREDEFINED.includes(r.Name) || Object.keys(containersOf(r)).length) continue;
      await svc.remove(r.Id).then(() => { deleted.push(r.Name); event(r, 'destroy'); }, () => undefined);
    }
    return { NetworksDeleted: deleted };
  });
}

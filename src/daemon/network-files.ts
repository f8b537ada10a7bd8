// A container's /etc/hosts, /etc/hostname and /etc/resolv.conf, written in its directory and
// bind-mounted by the spec (network-attach.ts decides when; files.ts what Docker puts in them).
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostnameFile, hostsFile, resolvConf, RESOLVER_ADDRESS } from '../network/index.ts';
import type { ContainerRecord } from '../container/model.ts';
import type { NetworkSetup } from '../container/service/ports.ts';
import { extraHosts, netMode } from './network-plan.ts';

const readHost = (p: string) => { try { return readFileSync(p, 'utf8'); } catch { return ''; } };

export interface NetFilesInput {
  dir: string;
  /** The container's addresses. */
  ips: string[];
  /** On a user network: `nameserver 127.0.0.11`. */
  embedded: boolean;
  /** --add-host's host-gateway: the default bridge's gateway. */
  hostGateway?: string;
  /** daemon.json dns, dns-search, dns-opts. */
  daemonDns?: { servers?: string[]; search?: string[]; options?: string[] };
}

export async function writeNetFiles(rec: ContainerRecord, i: NetFilesInput): Promise<void> {
  const h = rec.HostConfig;
  const extra = extraHosts(h.ExtraHosts, i.hostGateway);
  const hostResolv = readHost('/etc/resolv.conf');
  let hosts: string, resolv: string;
  const dns = h.Dns?.length ? h.Dns : i.daemonDns?.servers;
  const dnsSearch = h.DnsSearch?.length ? h.DnsSearch : i.daemonDns?.search;
  const dnsOptions = h.DnsOptions?.length ? h.DnsOptions : i.daemonDns?.options;
  if (netMode(h).kind === 'host') {
    hosts = readHost('/etc/hosts') + extra.map((e) => { const k = e.search(/[:=]/); return `${e.slice(k + 1)}\t${e.slice(0, k)}\n`; }).join('');
    resolv = dns?.length || dnsSearch?.length || dnsOptions?.length ? resolvConf({ host: hostResolv, dns, dnsSearch, dnsOptions }) : hostResolv;
  } else {
    hosts = hostsFile({ hostname: rec.Config.Hostname ?? '', domainname: rec.Config.Domainname, ips: i.ips, extraHosts: extra });
    resolv = resolvConf({ host: hostResolv, embedded: i.embedded ? RESOLVER_ADDRESS : undefined, dns, dnsSearch, dnsOptions });
  }
  await mkdir(i.dir, { recursive: true });
  rec.HostsPath = join(i.dir, 'hosts');
  rec.HostnamePath = join(i.dir, 'hostname');
  rec.ResolvConfPath = join(i.dir, 'resolv.conf');
  await writeFile(rec.HostsPath, hosts);
  await writeFile(rec.HostnamePath, hostnameFile(rec.Config.Hostname ?? ''));
  await writeFile(rec.ResolvConfPath, resolv);
}

/** The spec's binds of the three files. */
export function fileMounts(rec: ContainerRecord): NetworkSetup['files'] {
  return [['/etc/hosts', rec.HostsPath], ['/etc/hostname', rec.HostnamePath], ['/etc/resolv.conf', rec.ResolvConfPath]]
    .filter(([, s]) => s).map(([dest, source]) => ({ dest, source }));
}

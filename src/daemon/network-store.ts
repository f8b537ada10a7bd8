// Network records on disk: <data-root>/network/<id>.json, one file per network, written
// atomically at create and removed at rm. A record is Docker's network inspect document
// (without Containers) plus, for bridge networks, the driver's state (device and IPAM config).
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '../sys/atomic-write.ts';
import type { NetworkState } from '../network/index.ts';

export interface IpamConfigEntry { Subnet?: string; Gateway?: string; IPRange?: string; AuxiliaryAddresses?: Record<string, string> }

/** Docker's network resource (GET /networks/{id} without Containers), plus berth's bridge state. */
export interface NetworkRecord {
  Name: string;
  Id: string;
  Created: string;
  Scope: 'local';
  Driver: 'bridge' | 'host' | 'null';
  EnableIPv4: boolean;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: IpamConfigEntry[] | null };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Options: Record<string, string>;
  Labels: Record<string, string>;
  /** The bridge driver's state (allocations are not kept: running containers re-claim theirs). */
  state?: NetworkState;
}

export class NetworkStore {
  readonly dir: string;

  constructor(dataRoot: string) { this.dir = join(dataRoot, 'network'); }

  async loadAll(): Promise<NetworkRecord[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: NetworkRecord[] = [];
    for (const n of names) {
      if (!/^[0-9a-f]{64}\.json$/.test(n)) continue;
      try { out.push(JSON.parse(await readFile(join(this.dir, n), 'utf8')) as NetworkRecord); } catch { /* a torn file: skipped */ }
    }
    return out;
  }

  async save(r: NetworkRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const state = r.state ? { ...r.state, ipam: { ...r.state.ipam, allocated: [], lastAllocated: undefined } } : undefined;
    await atomicWrite(join(this.dir, `${r.Id}.json`), JSON.stringify({ ...r, state }), 0o600);
  }

  async remove(id: string): Promise<void> {
    await rm(join(this.dir, `${id}.json`), { force: true });
  }
}

// Listening sockets: unix sockets are made 0660 and given to the `berth` group when it exists,
// a stale socket file is replaced, one that still answers is refused.
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import type { Server } from 'node:net';
import { failedPrecondition, invalidArgument, wrap } from '../errors/errors.ts';
import type { ListenAddress } from './listen-address.ts';
import type { Logger } from './logger.ts';

export function groupId(name: string, groupFile = '/etc/group'): number | undefined {
  let text = '';
  try { text = readFileSync(groupFile, 'utf8'); } catch { return undefined; }
  for (const line of text.split('\n')) {
    const [n, , gid] = line.split(':');
    if (n === name && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  if (/^\d+$/.test(name)) return Number(name);
  return undefined;
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

async function prepareUnixPath(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  let st;
  try { st = statSync(path); } catch { return; }
  if (!st.isSocket()) throw failedPrecondition(`cannot listen on ${path}: the file exists and is not a socket`);
  if (await answers(path)) throw failedPrecondition(`cannot listen on ${path}: another daemon is serving it`);
  rmSync(path, { force: true });
}

export interface ListenOptions { group: string; groupExplicit: boolean; logger: Logger }

export async function listenOn(server: Server, addr: ListenAddress, opts: ListenOptions): Promise<string> {
  const gid = addr.kind === 'unix' ? groupId(opts.group) : undefined;
  if (addr.kind === 'unix' && gid === undefined && opts.groupExplicit) throw invalidArgument(`group ${opts.group} not found`);
  if (addr.kind === 'unix') await prepareUnixPath(addr.path);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = () => { server.off('error', reject); resolve(); };
    if (addr.kind === 'unix') server.listen(addr.path, done);
    else server.listen(addr.port, addr.host, done);
  }).catch((err: unknown) => { throw wrap(`listen on ${addr.kind === 'unix' ? addr.path : `${addr.host}:${addr.port}`}`, err); });
  if (addr.kind === 'tcp') {
    const a = server.address();
    return typeof a === 'object' && a ? `tcp://${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}` : `tcp://${addr.host}:${addr.port}`;
  }
  chmodSync(addr.path, 0o660);
  if (gid === undefined) {
    opts.logger.warn(`could not change group ${addr.path} to ${opts.group}: group ${opts.group} not found`);
  } else {
    try { chownSync(addr.path, process.getuid?.() ?? 0, gid); } catch (err) { opts.logger.warn(`chown ${addr.path}: ${(err as Error).message}`); }
  }
  return `unix://${addr.path}`;
}

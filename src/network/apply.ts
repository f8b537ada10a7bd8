// Runs a plan: one `ip -batch -` process per ip step, one `nft -f -` per firewall step.
// Consecutive ip steps overlap: the next process is started (and waits on its stdin) while the
// previous one runs, so a host batch followed by a netns batch costs about one process start.
// startInNetns() starts one before its netns and its input are known (a container's plumbing,
// while the runtime is still making its netns); with `warm` an idle one is kept ready.
// With `hostNetns` set (tests, or a daemon in its own network namespace) the host side runs in
// that named namespace instead of the caller's.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { internal, wrap } from '../errors/errors.ts';
import type { NetnsRef, Step } from './plan.ts';
import { renderIpBatch } from './ip-batch.ts';
import { DEFAULT_TABLE, deleteTableScript, renderNft, tableScript } from './firewall.ts';

export interface CommandResult { code: number; stdout: string; stderr: string }
/** stdin, written chunk after chunk as each is ready (a process may start before its input is known). */
export type CommandInput = string | Promise<string> | readonly (string | Promise<string>)[];
/** The process seam: tests may record commands instead of running them. */
export type CommandRunner = (cmd: string, args: string[], input: CommandInput) => Promise<CommandResult>;

/**
 * A process for a netns that is yet to be made: `sh` is started at once and waits for the
 * netns's path on its stdin (enter), then becomes `nsenter` into it and `cmd`, which reads the
 * rest (finish). cancel(): it ends without doing anything.
 */
export interface NetnsSession { enter(netns: NetnsRef): void; finish(input: string): Promise<void>; cancel(): Promise<void> }

const ENTER = 'read -r ns && exec nsenter --net="$ns" "$@"';
/** An idle process is made again this long after one was used: not amid the start that used it (a fork of the daemon costs its event loop a millisecond or more). */
const REFILL_AFTER_MS = 50;
/** `ip -batch -`, for startInNetns. */
export const IP_BATCH = ['ip', '-batch', '-'];
/** In a container's netns: route_localnet on (127.0.0.11 is sent out through eth*), then its nft table (resolver.ts). */
export const RESOLVER_CMD = ['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet && exec nft -f -'];

export const spawnRunner: CommandRunner = (cmd, args, input) => new Promise((resolve, reject) => {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  child.on('error', reject);
  child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  child.stdin.on('error', () => { /* exited early: reported through the exit code */ });
  void (async () => {
    for (const chunk of Array.isArray(input) ? input : [input]) {
      const text = await Promise.resolve(chunk).catch(() => '');
      if (child.stdin.destroyed) return;
      if (text) child.stdin.write(text);
    }
    child.stdin.end();
  })();
});

interface Deferred { promise: Promise<string>; resolve: (text: string) => void }
function deferred(): Deferred {
  let resolve!: (text: string) => void;
  const promise = new Promise<string>((r) => { resolve = r; });
  return { promise, resolve };
}

export interface ApplierOptions {
  table?: string;
  hostNetns?: string;
  run?: CommandRunner;
  /** Keep idle processes for startInNetns ready (berthd), so that starting a container forks none. */
  warm?: boolean;
}

const MISSING = /Cannot find device|No such file or directory|does not exist|Could not process rule/;

export class NetApplier {
  readonly table: string;
  readonly hostNetns: string | undefined;
  readonly #run: CommandRunner;
  readonly #warm: boolean;
  readonly #idle = new Map<string, (NetnsSession & { settled: Promise<unknown> })[]>();
  /** How many idle processes to keep per command (warmUp). */
  readonly #depth = new Map<string, number>();
  #closed = false;
  /** Number of external processes started, for tests and benchmarks. */
  processes = 0;

  constructor(o: ApplierOptions = {}) {
    this.table = o.table ?? DEFAULT_TABLE;
    this.hostNetns = o.hostNetns;
    this.#run = o.run ?? spawnRunner;
    this.#warm = o.warm ?? false;
  }

  async #exec(what: string, cmd: string, args: string[], input: CommandInput, ignoreMissing = false): Promise<string> {
    this.processes++;
    let r: CommandResult;
    try { r = await this.#run(cmd, args, input); } catch (e) { throw wrap(what, e); }
    if (r.code !== 0) {
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      const real = ignoreMissing ? lines.filter((l) => !MISSING.test(l) && !/^Command failed|^\s*\^|^(add|delete) element/.test(l)) : lines;
      if (real.length || !ignoreMissing) throw internal(`${what}: ${(real.length ? real : lines).join('; ') || `exit ${r.code}`}`);
    }
    return r.stdout;
  }

  #hostPrefix(cmd: string[]): [string, string[]] {
    return this.hostNetns ? ['ip', ['netns', 'exec', this.hostNetns, ...cmd]] : [cmd[0], cmd.slice(1)];
  }

  #ip(netns: NetnsRef | undefined, ignoreMissing: boolean | undefined, input: string | Promise<string>): Promise<string> {
    const ns = netns ?? this.hostNetns;
    const force = ignoreMissing ? ['-force'] : [];
    const [cmd, args] = ns === undefined ? ['ip', [...force, '-batch', '-']]
      : ns.includes('/') ? ['nsenter', [`--net=${ns}`, 'ip', ...force, '-batch', '-']]
      : ['ip', ['-n', ns, ...force, '-batch', '-']];
    return this.#exec('ip', cmd, args, input, ignoreMissing);
  }

  /** The host's netns as a path for nsenter (`/proc/self/ns/net`: nsenter's own, inherited from the daemon). */
  get hostNetnsPath(): string {
    return this.hostNetns ? (this.hostNetns.includes('/') ? this.hostNetns : `/run/netns/${this.hostNetns}`) : '/proc/self/ns/net';
  }

  #spawnInNetns(cmd: readonly string[], what: string): NetnsSession & { settled: Promise<unknown> } {
    const ns = deferred();
    const input = deferred();
    const run = this.#exec(what, 'sh', ['-c', ENTER, 'sh', ...cmd], [ns.promise, input.promise]);
    const settled = run.catch(() => undefined); // errors are reported by finish()
    return {
      settled,
      enter: (netns) => ns.resolve(`${netns}\n`),
      finish: async (text) => { input.resolve(text); await run; },
      cancel: async () => { ns.resolve(''); input.resolve(''); await settled; },
    };
  }

  /**
   * `cmd` for a netns that may not exist yet (see NetnsSession): an idle process kept ready by
   * warmUp() when there is one (another is made a little after this one is done), else a new one.
   */
  startInNetns(cmd: readonly string[], what = cmd[0]): NetnsSession {
    const key = cmd.join('\0');
    const s = this.#idle.get(key)?.shift() ?? this.#spawnInNetns(cmd, what);
    if (this.#depth.has(key)) void s.settled.then(() => setTimeout(() => this.#topUp(key, cmd, what), REFILL_AFTER_MS).unref());
    return s;
  }

  /** Keeps `count` idle processes of `cmd` ready from now on (with `warm`: berthd). */
  warmUp(cmd: readonly string[], count = 1, what = cmd[0]): void {
    if (!this.#warm) return;
    const key = cmd.join('\0');
    this.#depth.set(key, count);
    this.#topUp(key, cmd, what);
  }

  #topUp(key: string, cmd: readonly string[], what: string): void {
    const list = this.#idle.get(key) ?? [];
    this.#idle.set(key, list);
    while (!this.#closed && list.length < (this.#depth.get(key) ?? 0)) list.push(this.#spawnInNetns(cmd, what));
  }

  /** Ends the idle processes; none is made any more. */
  async close(): Promise<void> {
    this.#closed = true;
    const idle = [...this.#idle.values()].flat();
    this.#idle.clear();
    await Promise.all(idle.map((s) => s.cancel()));
  }

  async apply(steps: readonly Step[]): Promise<void> {
    /** The current ip step's process when it was started early, and how to hand it its batch. */
    let early: { run: Promise<string>; feed: Deferred } | undefined;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if (s.kind === 'ip') {
        const run = early ? early.run : this.#ip(s.netns, s.ignoreMissing, renderIpBatch(s.ops));
        early?.feed.resolve(renderIpBatch(s.ops));
        early = undefined;
        const next = steps[i + 1];
        if (next?.kind === 'ip') {
          const feed = deferred();
          early = { run: this.#ip(next.netns, next.ignoreMissing, feed.promise), feed };
          early.run.catch(() => undefined); // awaited (or dropped) below
        }
        try {
          await run;
        } catch (e) {
          early?.feed.resolve(''); // the started process reads an empty batch and exits
          await early?.run.catch(() => undefined);
          throw e;
        }
      } else if (s.kind === 'nft') {
        const [c, a] = this.#hostPrefix(['nft', '-f', '-']);
        if (s.ignoreMissing) {
          // one transaction first; a missing element aborts it all, then go element by element
          try { await this.#exec('nft', c, a, renderNft(s.ops, this.table)); continue; } catch { /* below */ }
          for (const op of s.ops) for (const el of op.elements) {
            await this.#exec('nft', c, a, renderNft([{ ...op, elements: [el] }], this.table), true);
          }
          continue;
        }
        await this.#exec('nft', c, a, renderNft(s.ops, this.table));
      } else if (s.kind === 'resolver') {
        await this.#exec('resolver', 'nsenter', [`--net=${s.netns}`, ...RESOLVER_CMD], s.script);
      } else if (this.hostNetns) {
        await this.#exec('sysctl', 'ip', ['netns', 'exec', this.hostNetns, 'sysctl', '-qw', `${s.key}=${s.value}`], '');
      } else {
        await writeFile(`/proc/sys/${s.key.replaceAll('.', '/')}`, s.value).catch((e) => { throw wrap(`sysctl ${s.key}`, e); });
      }
    }
  }

  /** Creates berth's table afresh (drops its old elements; other tables are untouched). */
  async resetFirewall(): Promise<void> {
    const [c, a] = this.#hostPrefix(['nft', '-f', '-']);
    await this.#exec('nft', c, a, tableScript(this.table));
  }

  async deleteFirewall(): Promise<void> {
    const [c, a] = this.#hostPrefix(['nft', '-f', '-']);
    await this.#exec('nft', c, a, deleteTableScript(this.table));
  }

  async linkExists(name: string): Promise<boolean> {
    const [c, a] = this.#hostPrefix(['ip', '-o', 'link', 'show', 'dev', name]);
    this.processes++;
    const r = await this.#run(c, a, '');
    return r.code === 0;
  }

  /** IPv4 route destinations of the host (for choosing a subnet that does not collide). */
  async hostRoutes(): Promise<string[]> {
    const [c, a] = this.#hostPrefix(['ip', '-j', '-4', 'route', 'show', 'table', 'all']);
    const out = await this.#exec('ip route', c, a, '');
    const routes = JSON.parse(out || '[]') as { dst?: string; type?: string }[];
    return routes.map((r) => r.dst ?? '').filter((d) => d && d !== 'default')
      .map((d) => (d.includes('/') ? d : `${d}/32`));
  }
}

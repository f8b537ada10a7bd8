// Network test fixture: named netns "containers", processes inside them, and the after-check
// that nothing with this run's names remains (links, netns, berth's nft table of the test).
// Link names are limited to 15 characters, so they use `bt-<tag>` (scripts/leak-check.ts
// sees `bt-` links); netns names use testName(); the nft table `berth_test_<tag>` is not seen
// by the leak check, hence assertClean().
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testName } from '../support/requires.ts';

const run = promisify(execFile);

export class NetFixture {
  readonly tag = Math.random().toString(36).slice(2, 8).padEnd(6, '0');
  readonly table = `berth_test_${this.tag}`;
  readonly linkPrefix = `bt-${this.tag}`;
  readonly netns: string[] = [];
  readonly procs: ChildProcess[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), `berth-test-net-${this.tag}-`));

  addNetns(tag: string): string {
    const name = testName(tag);
    execFileSync('ip', ['netns', 'add', name]);
    this.netns.push(name);
    return name;
  }

  /** A file under /etc/netns/NS/, which `ip netns exec` binds over /etc/FILE. */
  etc(ns: string, file: string, text: string): void {
    mkdirSync(`/etc/netns/${ns}`, { recursive: true });
    writeFileSync(`/etc/netns/${ns}/${file}`, text);
  }

  /**
   * Runs a command in a netns and returns its stdout (rejects on failure). Asynchronous: the
   * proxy and the DNS server under test live in this process and must keep answering.
   */
  async exec(ns: string, cmd: string[], timeout = 10_000): Promise<string> {
    return (await run('ip', ['netns', 'exec', ns, ...cmd], { encoding: 'utf8', timeout })).stdout;
  }

  async ok(ns: string, cmd: string[], timeout = 5_000): Promise<boolean> {
    try { await this.exec(ns, cmd, timeout); return true; } catch { return false; }
  }

  /** Starts a long-running process in a netns (stopped by PID in cleanup). */
  start(ns: string, cmd: string[]): ChildProcess {
    const p = spawn('ip', ['netns', 'exec', ns, ...cmd], { stdio: 'ignore' });
    this.procs.push(p);
    return p;
  }

  /** busybox httpd serving `body` at / and the client's address at /cgi-bin/ip. */
  httpd(ns: string, port: number, body: string): void {
    const root = join(this.dir, `www-${ns}-${port}`);
    mkdirSync(join(root, 'cgi-bin'), { recursive: true });
    writeFileSync(join(root, 'index.html'), body);
    writeFileSync(join(root, 'cgi-bin', 'ip'), '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "$REMOTE_ADDR"\n');
    chmodSync(join(root, 'cgi-bin', 'ip'), 0o755);
    this.start(ns, ['busybox', 'httpd', '-f', '-p', String(port), '-h', root]);
  }

  async cleanup(): Promise<void> {
    for (const p of this.procs) if (p.exitCode === null && p.pid) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
    await Promise.all(this.procs.map((p) => (p.exitCode === null && p.signalCode === null ? new Promise((r) => p.once('exit', r)) : null)));
    for (const ns of this.netns) {
      try { execFileSync('ip', ['netns', 'del', ns]); } catch { /* gone */ }
      rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
    }
    for (const l of this.leftovers().links) { try { execFileSync('ip', ['link', 'del', l]); } catch { /* gone */ } }
    try { execFileSync('nft', ['delete', 'table', 'ip', this.table], { stdio: 'ignore' }); } catch { /* gone */ }
    rmSync(this.dir, { recursive: true, force: true });
  }

  leftovers(): { links: string[]; netns: string[]; tables: string[] } {
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n')
      .map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n.startsWith(this.linkPrefix));
    const ns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    const netns = this.netns.filter((n) => ns.includes(n));
    const tables = execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' }).split('\n').filter((t) => t.includes(this.table));
    return { links, netns, tables };
  }
}

/** Polls until `f` holds (processes started in a netns need a moment to listen). */
export async function until(f: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await f()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

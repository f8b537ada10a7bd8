// After the suite: fails if kernel objects carrying the test prefix remain
// (mounts, cgroups, network namespaces, links, nftables tables, processes), and with
// `--since <unix seconds>` the temporary directories tests made since then (/tmp/berth-test-*).
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const PREFIX = 'berth-test';
const leaks: string[] = [];

for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
  const mnt = line.split(' ')[4];
  if (mnt?.includes(PREFIX)) leaks.push(`mount ${mnt}`);
}

function scanCgroups(dir: string, depth: number): void {
  if (depth > 8) return;
  let names: string[];
  try { names = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name); } catch { return; }
  for (const n of names) {
    const p = join(dir, n);
    // Test names, and the 64-hex ids of containers made by the test daemons (no berthd of the
    // machine's own runs while the suite does).
    if (n.includes(PREFIX) || /^[0-9a-f]{64}$/.test(n)) leaks.push(`cgroup ${p}`);
    else scanCgroups(p, depth + 1);
  }
}
if (existsSync('/sys/fs/cgroup')) scanCgroups('/sys/fs/cgroup', 0);

try {
  for (const ns of execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n')) {
    if (ns.includes(PREFIX) || ns.startsWith('bt')) leaks.push(`netns ${ns}`);
  }
  for (const l of execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n')) {
    const name = l.split(': ')[1]?.split('@')[0];
    if (name && (name.startsWith('bt-') || name.includes(PREFIX))) leaks.push(`link ${name}`);
  }
} catch { /* no iproute2: nothing to check there */ }

try {
  // Tests name their nftables tables berth_test_… (nft names cannot carry '-').
  for (const t of execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' }).split('\n')) {
    if (t.includes('berth_test') || t.includes(PREFIX)) leaks.push(`nft ${t.trim()}`);
  }
} catch { /* no nft: nothing to check there */ }

for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    if (cmd.includes(PREFIX) && Number(pid) !== process.pid) leaks.push(`process ${pid}: ${cmd.slice(0, 120)}`);
    // Container monitors (the native helper after its fork) of test daemons' containers.
    else if (/^\S*berth-helper berth-runtime(-exec)?:[0-9a-f]{64}/.test(cmd)) leaks.push(`process ${pid}: ${cmd.slice(0, 120)}`);
  } catch { /* gone */ }
}

const sinceAt = process.argv.indexOf('--since');
if (sinceAt > 0) {
  const since = Number(process.argv[sinceAt + 1]) * 1000;
  for (const n of readdirSync(tmpdir())) {
    if (!n.startsWith(PREFIX)) continue;
    try { if (statSync(join(tmpdir(), n)).ctimeMs >= since) leaks.push(`directory ${join(tmpdir(), n)}`); } catch { /* gone */ }
  }
}

if (leaks.length) {
  console.error(`leak check: ${leaks.length} object(s) left by tests\n  ${leaks.join('\n  ')}`);
  process.exit(1);
}
console.log('leak check: nothing left behind');

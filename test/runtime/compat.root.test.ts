// The same bundle runs under berth-runtime, runc and crun alike and prints the same things.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { requires } from '../support/requires.ts';
import { makeBundle, REPO, type TestBundle } from '../support/bundle.ts';
import { privateCgroupPrologue } from '../support/private-cgroups.ts';

const bundles: TestBundle[] = [];
after(() => bundles.forEach((b) => b.cleanup()));

const SCRIPT = 'echo pid=$$; hostname; id -u; ls /sys/class/net; grep ^CapEff /proc/self/status; wc -c < /proc/kcore; ls /dev | sort | tr "\\n" " "';

function runWith(runtime: 'berth-runtime' | 'runc' | 'crun', b: TestBundle): string {
  const bin = runtime === 'berth-runtime' ? join(REPO, 'bin/berth-runtime') : runtime;
  const state = join(b.dir, `state-${runtime}`);
  const script = `${privateCgroupPrologue()}\nexec ${bin} --root ${state} run --bundle ${b.dir} ${b.id}-${runtime}`;
  return execFileSync('unshare', ['-m', '--propagation', 'private', 'bash', '-c', script], { encoding: 'utf8' });
}

for (const other of ['runc', 'crun'] as const) {
  test(`the same bundle under berth-runtime and ${other}`, { skip: requires('root', 'busybox', other) }, () => {
    const b = makeBundle(`compat-${other}`, ['sh', '-c', SCRIPT], (s) => { s.hostname = 'compat'; delete s.linux!.resources; });
    bundles.push(b);
    const ours = runWith('berth-runtime', b);
    const theirs = runWith(other, b);
    // crun makes /dev/core even when the host has no /proc/kcore; runc (and berth) do not.
    const norm = (out: string) => (other === 'crun' && !existsSync('/proc/kcore') ? out.replace(/^core /m, '') : out);
    assert.equal(norm(ours), norm(theirs));
    assert.match(ours, /^pid=1\ncompat\n0\nlo\n/);
  });
}

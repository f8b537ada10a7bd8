// berth-runtime's runc-style command line, end to end: spec, create --pid-file, state, start,
// ps, pause/resume, exec, list, kill, delete; and runc's exit code for `run`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { requires, testName } from '../support/requires.ts';
import { busyboxRootfs, REPO } from '../support/bundle.ts';

const skip = requires('root', 'busybox', 'cgroup-v1');
const dir = join('/tmp', testName('cli'));
const root = join(dir, 'state');
const env = { ...process.env, BERTH_DEV: '1' };
const id = testName('cli').slice(0, 60);
after(() => {
  spawnSync(join(REPO, 'bin/berth-runtime'), ['--root', root, 'delete', '--force', id], { env });
  rmSync(dir, { recursive: true, force: true });
});

function rt(...args: string[]): string {
  return execFileSync(join(REPO, 'bin/berth-runtime'), ['--root', root, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
const state = () => JSON.parse(rt('state', id)) as { status: string; pid: number; id: string; bundle: string };

test('the runc command line: create, state, start, ps, pause, exec, kill, delete', { skip }, async () => {
  const bundle = join(dir, 'bundle');
  mkdirSync(bundle, { recursive: true });
  rt('spec', '--bundle', bundle);
  const cfgPath = join(bundle, 'config.json');
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
  cfg.root = { path: busyboxRootfs(), readonly: true };
  cfg.process.terminal = false;
  cfg.process.args = ['sleep', '30'];
  writeFileSync(cfgPath, JSON.stringify(cfg));

  const pidFile = join(dir, 'pid');
  // The container inherits create's stdio: pipes would keep execFileSync waiting for EOF.
  execFileSync(join(REPO, 'bin/berth-runtime'), ['--root', root, 'create', '--bundle', bundle, '--pid-file', pidFile, id], { env, stdio: 'ignore' });
  const created = state();
  assert.equal(created.status, 'created');
  assert.equal(created.pid, Number(readFileSync(pidFile, 'utf8')));
  assert.equal(created.bundle, bundle);
  assert.match(rt('list', '-q'), new RegExp(id));

  rt('start', id);
  assert.equal(state().status, 'running');
  assert.deepEqual(JSON.parse(rt('ps', '--format', 'json', id)), [created.pid]);
  rt('pause', id);
  assert.equal(state().status, 'paused');
  rt('resume', id);
  assert.equal(state().status, 'running');
  assert.equal(rt('exec', id, 'sh', '-c', 'echo $((6*7)) from $(hostname)').trim(), `42 from ${cfg.hostname}`);

  rt('kill', id, 'KILL');
  for (let i = 0; i < 100 && state().status !== 'stopped'; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(state().status, 'stopped');
  rt('delete', id);
  const gone = spawnSync(join(REPO, 'bin/berth-runtime'), ['--root', root, 'state', id], { env, encoding: 'utf8' });
  assert.equal(gone.status, 1);
  assert.match(gone.stderr, /container does not exist/);
});

test('run returns the container\'s exit code; errors exit 1 with a message', { skip }, () => {
  const bundle = join(dir, 'bundle-run');
  mkdirSync(bundle, { recursive: true });
  rt('spec', '--bundle', bundle);
  const cfgPath = join(bundle, 'config.json');
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
  cfg.root = { path: busyboxRootfs(), readonly: true };
  cfg.process.terminal = false;
  cfg.process.args = ['sh', '-c', 'echo out; exit 42'];
  writeFileSync(cfgPath, JSON.stringify(cfg));
  const r = spawnSync(join(REPO, 'bin/berth-runtime'), ['--root', root, 'run', '--bundle', bundle, `${id}-run`], { env, encoding: 'utf8' });
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.status, 42);
  const bad = spawnSync(join(REPO, 'bin/berth-runtime'), ['--root', root, 'start', 'no-such-container'], { env, encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, 'berth-runtime: container does not exist: no-such-container\n');
});

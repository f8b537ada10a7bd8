// OCI hooks: createRuntime before pivot_root with the state on stdin, startContainer inside the
// container, poststart after start, poststop after delete; a failing hook fails the create.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { requires } from '../support/requires.ts';
import { makeBundle, type TestBundle } from '../support/bundle.ts';
import { makeRuntime, runCaptured } from '../support/runtime.ts';

const skip = requires('root', 'busybox', 'cgroup-v1');
const trt = skip ? undefined : makeRuntime();
const bundles: TestBundle[] = [];
after(async () => { await trt?.cleanup(); bundles.forEach((b) => b.cleanup()); });

test('hooks run at their points with the state on stdin', { skip }, async () => {
  const b = makeBundle('hooks', ['sh', '-c', 'cat /tmp/started 2>/dev/null || echo no-start-hook']);
  const log = join(b.dir, 'hooks.log');
  const hook = (name: string) => ({ path: '/bin/sh', args: ['sh', '-c', `read s; echo "${name} $s" >> ${log}`] });
  b.spec.hooks = {
    createRuntime: [hook('createRuntime')],
    startContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'echo inside > /tmp/started'] }],
    poststart: [hook('poststart')],
    poststop: [hook('poststop')],
  };
  b.write();
  bundles.push(b);
  const { exitCode, out, err } = await runCaptured(trt!.rt, b);
  assert.equal(exitCode, 0, err);
  assert.equal(out.trim(), 'inside');
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  assert.deepEqual(lines.map((l) => l.split(' ')[0]), ['createRuntime', 'poststart', 'poststop']);
  const created = JSON.parse(lines[0].slice('createRuntime '.length));
  assert.equal(created.id, b.id);
  assert.equal(created.status, 'creating');
  assert.ok(created.pid > 0);
});

test('a failing createRuntime hook fails the create and leaves nothing', { skip }, async () => {
  const b = makeBundle('hookfail', ['true']);
  b.spec.hooks = { createRuntime: [{ path: '/bin/false' }] };
  b.write();
  bundles.push(b);
  await assert.rejects(trt!.rt.create({ id: b.id, bundle: b.dir, stdio: ['ignore', 'ignore', 'ignore'] }), /createRuntime hook \/bin\/false failed/);
  assert.ok(!existsSync(join(trt!.root, b.id)));
});

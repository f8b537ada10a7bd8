// User namespaces with id maps, and joining another container's namespaces by path.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { requires } from '../support/requires.ts';
import { makeBundle, type TestBundle } from '../support/bundle.ts';
import { makeRuntime, runCaptured } from '../support/runtime.ts';

const skip = requires('root', 'busybox', 'cgroup-v1', 'userns');
const trt = skip ? undefined : makeRuntime();
const bundles: TestBundle[] = [];
after(async () => { await trt?.cleanup(); bundles.forEach((b) => b.cleanup()); });

test('a user namespace maps root to an unprivileged host range', { skip }, async () => {
  const b = makeBundle('userns', ['sh', '-c', 'id -u; cat /proc/self/uid_map; echo hi > /tmp/f && stat -c %u /tmp/f'], (s) => {
    s.linux!.namespaces!.push({ type: 'user' });
    s.linux!.uidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    s.linux!.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
  });
  bundles.push(b);
  const { exitCode, out, err } = await runCaptured(trt!.rt, b);
  assert.equal(exitCode, 0, err);
  const [uid, map, owner] = out.trim().split('\n');
  assert.equal(uid, '0');
  assert.deepEqual(map.trim().split(/\s+/), ['0', '200000', '65536']);
  assert.equal(owner, '0');
});

test('joining another container\'s network and uts namespaces by path', { skip }, async () => {
  const { rt } = trt!;
  const a = makeBundle('ns-a', ['sleep', '60'], (s) => { s.hostname = 'shared-host'; });
  bundles.push(a);
  const { state } = await rt.create({ id: a.id, bundle: a.dir, stdio: ['ignore', 'ignore', 'ignore'] });
  await rt.start(a.id);
  try {
    const b = makeBundle('ns-b', ['sh', '-c', 'hostname; readlink /proc/self/ns/net'], (s) => {
      delete s.hostname;
      s.linux!.namespaces = s.linux!.namespaces!.map((n) =>
        n.type === 'network' ? { type: 'network', path: `/proc/${state.pid}/ns/net` }
        : n.type === 'uts' ? { type: 'uts', path: `/proc/${state.pid}/ns/uts` } : n);
    });
    bundles.push(b);
    const { exitCode, out, err } = await runCaptured(rt, b);
    assert.equal(exitCode, 0, err);
    const [host, netns] = out.trim().split('\n');
    assert.equal(host, 'shared-host');
    assert.equal(netns, readlinkSync(`/proc/${state.pid}/ns/net`));
  } finally {
    await rt.delete(a.id, true);
  }
});

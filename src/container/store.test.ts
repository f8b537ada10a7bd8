import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, mkdirSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { Sweeper } from '../sys/sweeper.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerStore } from './store.ts';
import { writeBundle } from './bundle.ts';
import { newContainerRecord, asContainerId } from './model.ts';
import { toRunning } from './state-machine.ts';
import { bundleOf, loadBundle } from '../runtime/spec/load.ts';
import { defaultSpec } from '../runtime/spec/default-spec.ts';

const ID = asContainerId('ab'.repeat(32));

function rec(id = ID) {
  return newContainerRecord({ id, name: 'web', created: '2024-01-01T00:00:00.5Z', config: { Image: 'busybox', Cmd: ['sh'] }, hostConfig: { Memory: 1 << 30, NetworkMode: 'bridge' }, image: 'sha256:' + '0'.repeat(64), path: 'sh', args: [], logPath: '' });
}

test('save and load in Docker layout; incomplete and corrupt dirs reported', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'berth-store-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = new ContainerStore(root);
  const r = rec();
  r.LogPath = store.logPath(ID);
  await store.create(r);
  await assert.rejects(store.create(r), { code: 'AlreadyExists' });
  const cfg = JSON.parse(readFileSync(join(root, 'containers', ID, 'config.v2.json'), 'utf8'));
  assert.equal(cfg.HostConfig, undefined);
  assert.equal(cfg.Name, '/web');
  assert.equal(cfg.State.StartedAt, '0001-01-01T00:00:00Z');
  assert.deepEqual(JSON.parse(readFileSync(join(root, 'containers', ID, 'hostconfig.json'), 'utf8')), { Memory: 1 << 30, NetworkMode: 'bridge' });
  r.State = toRunning(r.State, 99, '2024-01-01T00:00:01Z');
  await store.save(r);
  assert.deepEqual(await store.load(ID), JSON.parse(JSON.stringify(r)));

  const half = 'cd'.repeat(32), bad = 'ef'.repeat(32);
  mkdirSync(join(root, 'containers', half));
  mkdirSync(join(root, 'containers', bad));
  writeFileSync(join(root, 'containers', bad, 'config.v2.json'), '{oops');
  mkdirSync(join(root, 'containers', 'not-an-id'));
  const all = await store.loadAll();
  assert.deepEqual(all.records.map((x) => x.ID), [ID]);
  assert.deepEqual(all.incomplete, [half]);
  assert.equal(all.corrupt[0].id, bad);
  await assert.rejects(store.load(asContainerId(half)), { code: 'NotFound', message: `No such container: ${half}` });
  await store.remove(ID);
  assert.ok(!existsSync(store.dir(ID)));
  assert.deepEqual((await new ContainerStore(join(root, 'nothing')).loadAll()).records, []);
});

test('bundle: config.json the runtime loads', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'berth-bundle-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'rootfs'));
  const written = writeBundle({ record: rec(), dir: join(root, 'b'), rootfs: join(root, 'rootfs'), spec: defaultSpec({ args: ['true'], terminal: false }) });
  const b = await loadBundle(written.dir);
  assert.equal(b.spec.root!.path, join(root, 'rootfs'));
  assert.equal(b.spec.annotations!['org.berth.container.name'], 'web');
  assert.deepEqual(b.spec, written.spec); // what the runtime is handed without reading it back
  assert.deepEqual((await bundleOf(written.dir, written.spec)).spec, b.spec);
  assert.throws(() => writeBundle({ record: rec(), dir: written.dir, rootfs: 'rel', spec: defaultSpec() }), { code: 'InvalidArgument' });
});

test('remove with a sweeper: gone for readers at once, files deleted after; a leftover is swept by loadAll', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'berth-store-sweep-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const store = new ContainerStore(root);
  const a = rec(), b = rec(asContainerId('b'.repeat(64)));
  await store.create(a);
  await store.create(b);
  const sweeper = new Sweeper();
  await store.remove(a.ID, sweeper);
  assert.deepEqual((await store.loadAll()).records.map((r) => r.ID), [b.ID]);
  await sweeper.idle();
  assert.deepEqual(readdirSync(store.root), [b.ID]);
  // A crash between the rename and the delete leaves a renamed directory: the next loadAll removes it.
  mkdirSync(join(store.root, `.removing-${a.ID}`, 'x'), { recursive: true });
  assert.deepEqual((await store.loadAll()).records.map((r) => r.ID), [b.ID]);
  assert.deepEqual(readdirSync(store.root), [b.ID]);
});

// The image service against real peers: a busybox image (OCI layout by test/support/oci-layout.ts,
// two layers, copied into registries by skopeo) pulled from berth's in-process registry and from
// Debian's docker-registry with htpasswd auth, mounted through a snapshot, pushed back with the
// same digest; archives written by skopeo (docker-archive, oci-archive) loaded; save → load round
// trip; import with --change; rmi/prune/gc give the disk back as du sees it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { requires, testName } from '../support/requires.ts';
import { writeOciLayout, type OciImage } from '../support/oci-layout.ts';
import { startRegistry } from '../registry/harness.ts';
import { startDockerRegistry, skopeo } from '../registry/processes.ts';
import { HTPASSWD } from '../registry/auth-fixtures.ts';
import { ImageService } from '../../src/image/service.ts';
import { RegistryClient } from '../../src/registry/client/registry-client.ts';
import { StaticCredentials } from '../../src/registry/client/credentials.ts';
import { mountAll, unmount } from '../../src/image/snapshot/mount.ts';

const skip = requires('root', 'overlay', 'skopeo', 'busybox');
const REPO = join(import.meta.dirname, '..', '..');
let dir: string;
let image: OciImage;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), `${testName('imgsvc')}-`));
  execFileSync('bash', [join(REPO, 'scripts/fixtures/busybox-rootfs.sh'), join(dir, 'rootfs')]);
  mkdirSync(join(dir, 'extra/etc'), { recursive: true });
  writeFileSync(join(dir, 'extra/etc/motd'), 'layer two\n');
  image = await writeOciLayout(join(dir, 'layout'), 'v1', [join(dir, 'rootfs'), join(dir, 'extra')], { cmd: ['/bin/sh', '-c', 'echo hi'] });
});

after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

function service(tag: string, client?: RegistryClient): ImageService {
  return new ImageService({ root: mkdtempSync(join(dir, `${tag}-`)), client, platform: { os: 'linux', architecture: 'amd64' } });
}

const du = (p: string): number => Number(execFileSync('du', ['-sB1', p], { encoding: 'utf8' }).split('\t')[0]);

async function checkRootfs(svc: ImageService, ref: string, motd = true): Promise<void> {
  const target = join(dir, testName('mnt'));
  mkdirSync(target);
  const mounts = await svc.prepareRootfs(`ctr-${target}`, ref);
  await mountAll(mounts, target);
  try {
    assert.ok(existsSync(join(target, 'bin/busybox')));
    if (motd) assert.equal(readFileSync(join(target, 'etc/motd'), 'utf8'), 'layer two\n');
    assert.ok(readFileSync(join(target, 'etc/passwd'), 'utf8').includes('root:x:0:0'));
  } finally {
    await unmount(target);
  }
  await svc.parts.snapshots.remove(`ctr-${target}`);
}

test('pull from the in-process registry, mount, inspect, history, push back with the same digest', { skip }, async () => {
  const reg = await startRegistry();
  const svc = service('inproc');
  try {
    await skopeo(['copy', '--dest-tls-verify=false', `oci:${image.dir}:v1`, `docker://${reg.host}/library/busybox:v1`]);
    const events: string[] = [];
    const id = await svc.pull(`${reg.host}/library/busybox:v1`, { onProgress: (p) => events.push(p.status) });
    assert.equal(id, image.configDigest);
    assert.ok(events.includes('Pull complete') && events.includes('Digest'));
    await checkRootfs(svc, `${reg.host}/library/busybox:v1`);
    const info = await svc.inspect(`${reg.host}/library/busybox:v1`);
    assert.deepEqual(info.RepoTags, [`${reg.host}/library/busybox:v1`]);
    assert.deepEqual(info.RepoDigests, [`${reg.host}/library/busybox@${image.manifestDigest}`]);
    assert.deepEqual(info.RootFS.Layers, image.layers.map((l) => l.diffId));
    assert.deepEqual(info.Config?.Cmd, ['/bin/sh', '-c', 'echo hi']);
    assert.ok(info.Size > 1_000_000);
    assert.equal(info.GraphDriver.Name, 'overlay2');
    const hist = await svc.history(id);
    assert.equal(hist.length, 2);
    assert.equal(hist[0].Id, id);
    // A second pull finds everything there.
    const again: string[] = [];
    await svc.pull(`${reg.host}/library/busybox:v1`, { onProgress: (p) => again.push(p.status) });
    assert.equal(again.filter((s) => s === 'Already exists').length, 2);
    // Push to another repository: layers are mounted, the manifest keeps its digest.
    svc.tag(id, `${reg.host}/copies/busybox:pushed`);
    const bytes = new Map<string, [number, number][]>();
    const onBytes = (d: string, current: number, total: number) => bytes.set(d, [...(bytes.get(d) ?? []), [current, total]]);
    const uploaded: string[] = [];
    const onBlob = (d: string, r: string) => { if (r === 'uploaded') uploaded.push(d); };
    assert.equal(await svc.push(`${reg.host}/copies/busybox:pushed`, { onBytes, onBlob }), image.manifestDigest);
    // Byte progress for each uploaded blob (the config at least: layers are mounted), ending at its size.
    assert.ok(uploaded.includes(image.configDigest));
    for (const d of uploaded) {
      const last = bytes.get(d)?.at(-1);
      assert.ok(last && last[0] === last[1] && last[1] > 0, `byte progress of ${d}: ${JSON.stringify(bytes.get(d))}`);
    }
    const raw = await skopeo(['inspect', '--tls-verify=false', `docker://${reg.host}/copies/busybox:pushed`]);
    assert.equal(JSON.parse(raw).Digest, image.manifestDigest);
    assert.equal((await svc.list()).length, 1);
  } finally {
    svc.close();
    await reg.close();
  }
});

test('pull from docker-registry with htpasswd auth, push back chunked', { skip: skip || requires('docker-registry') }, async () => {
  writeFileSync(join(dir, 'htpasswd'), HTPASSWD);
  const reg = await startDockerRegistry({ htpasswd: join(dir, 'htpasswd') });
  try {
    await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', 'bob:readpw', `oci:${image.dir}:v1`, `docker://${reg.host}/team/busybox:v1`]);
    const anon = service('dist-anon');
    await assert.rejects(anon.pull(`${reg.host}/team/busybox:v1`), { code: 'Unauthenticated' });
    anon.close();
    const client = new RegistryClient({ credentials: new StaticCredentials({ [reg.host]: { username: 'bob', password: 'readpw' } }) });
    const svc = service('dist', client);
    try {
      assert.equal(await svc.pull(`${reg.host}/team/busybox:v1`), image.configDigest);
      await checkRootfs(svc, `${reg.host}/team/busybox:v1`);
      svc.tag(`${reg.host}/team/busybox:v1`, `${reg.host}/other/busybox:v2`);
      assert.equal(await svc.push(`${reg.host}/other/busybox:v2`, { chunkSize: 256 * 1024 }), image.manifestDigest);
      const raw = await skopeo(['inspect', '--tls-verify=false', '--creds', 'bob:readpw', `docker://${reg.host}/other/busybox:v2`]);
      assert.equal(JSON.parse(raw).Digest, image.manifestDigest);
    } finally {
      svc.close();
    }
  } finally {
    await reg.stop();
  }
});

test('load skopeo docker-archive and oci-archive tars; save → load round trip', { skip }, async () => {
  const dock = join(dir, 'docker.tar');
  const oci = join(dir, 'oci.tar');
  await skopeo(['copy', `oci:${image.dir}:v1`, `docker-archive:${dock}:example.com/team/bb:v1`]);
  await skopeo(['copy', `oci:${image.dir}:v1`, `oci-archive:${oci}:example.com/team/bb:oci`]);
  const svc = service('load');
  try {
    const [id1] = await svc.load(createReadStream(dock));
    assert.equal(id1, image.configDigest);
    assert.deepEqual((await svc.inspect(id1)).RepoTags, ['example.com/team/bb:v1']);
    await checkRootfs(svc, 'example.com/team/bb:v1');
    const [id2] = await svc.load(createReadStream(oci));
    assert.equal(id2, image.configDigest);
    assert.equal((await svc.inspect(id2)).Descriptor.digest, image.manifestDigest);
    assert.deepEqual((await svc.inspect(id2)).RepoTags.sort(), ['example.com/team/bb:oci', 'example.com/team/bb:v1']);

    const saved = join(dir, 'saved.tar');
    await pipeline(Readable.from(svc.save(['example.com/team/bb:oci'])), createWriteStream(saved));
    const names = execFileSync('tar', ['-tf', saved], { encoding: 'utf8' }).split('\n');
    for (const n of ['index.json', 'manifest.json', 'oci-layout', `blobs/sha256/${image.manifestDigest.slice(7)}`]) assert.ok(names.includes(n), n);
    const fresh = service('reload');
    try {
      const [id3] = await fresh.load(createReadStream(saved));
      assert.equal(id3, image.configDigest);
      const info = await fresh.inspect(id3);
      assert.deepEqual(info.RepoTags, ['example.com/team/bb:oci']);
      assert.equal(info.Descriptor.digest, image.manifestDigest);
      await checkRootfs(fresh, 'example.com/team/bb:oci');
      // skopeo reads what we saved, as an OCI archive and as a docker archive.
      await skopeo(['inspect', `oci-archive:${saved}:oci`]);
      await skopeo(['inspect', `docker-archive:${saved}`]);
    } finally {
      fresh.close();
    }
  } finally {
    svc.close();
  }
});

test('import with --change; rmi untags then deletes; inUse conflicts; gc frees what du sees', { skip }, async () => {
  let used = '';
  const svc = new ImageService({ root: mkdtempSync(join(dir, 'gc-')), inUse: (id) => id === used });
  try {
    const tarPath = join(dir, 'rootfs.tar');
    execFileSync('tar', ['-C', join(dir, 'rootfs'), '-cf', tarPath, '.']);
    const id = await svc.import(createReadStream(tarPath), {
      ref: 'imported:1', changes: ['CMD ["/bin/sh"]', 'ENV A=1 B=2', 'WORKDIR /srv', 'USER nobody', 'EXPOSE 80 53/udp', 'LABEL x=y', 'VOLUME /data', 'ENTRYPOINT echo'],
    });
    const c = (await svc.inspect('imported:1')).Config!;
    assert.deepEqual(c.Cmd, ['/bin/sh']);
    assert.deepEqual(c.Entrypoint, ['/bin/sh', '-c', 'echo']);
    assert.deepEqual(c.Env, ['A=1', 'B=2']);
    assert.equal(c.WorkingDir, '/srv');
    assert.equal(c.User, 'nobody');
    assert.deepEqual(c.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
    assert.deepEqual(c.Labels, { x: 'y' });
    assert.deepEqual(c.Volumes, { '/data': {} });
    await checkRootfs(svc, 'imported:1', false);

    const root = svc.parts.root;
    const df = await svc.df();
    const snapDirs = svc.parts.snapshots.list().map((s) => join(root, 'snapshots', String(s.id)));
    assert.equal(df.layersSize, snapDirs.reduce((a, d) => a + du(d), 0));
    // Each image's size (recorded at unpack) is du of its layers' snapshots as they are now.
    for (const img of df.images) assert.equal(img.size, snapDirs.reduce((a, d) => a + du(d), 0), img.repoTags.join());
    assert.equal(df.contentSize, du(join(root, 'content', 'blobs')));
    const before = du(root);

    svc.tag('imported:1', 'imported:2');
    assert.deepEqual(await svc.remove('imported:2'), [{ Untagged: 'imported:2' }]);
    used = id;
    await assert.rejects(svc.remove(id), { code: 'Conflict' });
    await assert.rejects(svc.remove('imported:1'), { code: 'Conflict' });
    used = '';
    const res = await svc.remove('imported:1');
    assert.deepEqual(res, [{ Untagged: 'imported:1' }, { Deleted: id }]);
    assert.equal((await svc.list()).length, 0);
    assert.deepEqual(await svc.parts.content.list(), []);
    assert.deepEqual(svc.parts.snapshots.list(), []);
    const afterBytes = du(root);
    assert.ok(before - afterBytes > 1_000_000, `freed ${before - afterBytes} bytes`);
    const df2 = await svc.df();
    assert.equal(df2.layersSize, 0);

    // Re-importing under the same tag leaves the old image dangling; prune removes it only.
    const a = await svc.import(createReadStream(tarPath), { ref: 'imp:x', changes: ['CMD ["a"]'] });
    const b = await svc.import(createReadStream(tarPath), { ref: 'imp:x', changes: ['CMD ["b"]'] });
    assert.notEqual(a, b);
    assert.deepEqual((await svc.list({ dangling: true })).map((i) => i.Id), [a]);
    const pr = await svc.prune();
    assert.deepEqual(pr.ImagesDeleted, [{ Deleted: a }]);
    assert.deepEqual((await svc.list()).map((i) => i.Id), [b]);
    assert.equal(svc.parts.snapshots.list().length, 1);
  } finally {
    svc.close();
  }
});

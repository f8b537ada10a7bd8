// berthd's image endpoints through the real docker CLI against real registries: Debian's
// docker-registry on loopback (one open, one with htpasswd auth) holding a busybox image made by
// test/support/oci-layout.ts and copied in by skopeo. The open registry is also berthd's
// `registry-mirrors` entry: a stand-in Docker Hub for `docker pull busybox`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_BIN, docker, haveDocker } from './support/docker-cli.ts';
import { startBerthd, type Berthd } from './support/daemon.ts';
import { requires, testName } from '../support/requires.ts';
import { randomRootfs, writeOciLayout, type OciImage } from '../support/oci-layout.ts';
import { startDockerRegistry, skopeo, type ChildRegistry } from '../registry/processes.ts';
import { HTPASSWD } from '../registry/auth-fixtures.ts';

const REPO = join(import.meta.dirname, '..', '..');
const skip = (haveDocker() ? false : 'docker CLI not installed') || requires('root', 'overlay', 'skopeo', 'busybox', 'docker-registry');

let dir: string;
let image: OciImage;
let open: ChildRegistry;
let authReg: ChildRegistry;
let d: Berthd;
let BB: string;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), `${testName('e2e-images')}-`));
  execFileSync('bash', [join(REPO, 'scripts/fixtures/busybox-rootfs.sh'), join(dir, 'rootfs')]);
  mkdirSync(join(dir, 'extra/etc'), { recursive: true });
  writeFileSync(join(dir, 'extra/etc/motd'), 'layer two\n');
  image = await writeOciLayout(join(dir, 'layout'), 'v1', [join(dir, 'rootfs'), join(dir, 'extra')], { cmd: ['sh'] });
  writeFileSync(join(dir, 'htpasswd'), HTPASSWD);
  open = await startDockerRegistry();
  authReg = await startDockerRegistry({ htpasswd: join(dir, 'htpasswd') });
  await skopeo(['copy', '--dest-tls-verify=false', `oci:${image.dir}:v1`, `docker://${open.host}/busybox:latest`]);
  await skopeo(['copy', '--dest-tls-verify=false', `oci:${image.dir}:v1`, `docker://${open.host}/library/busybox:latest`]);
  BB = `${open.host}/busybox:latest`;
  d = await startBerthd({ config: { 'insecure-registries': [open.host, authReg.host], 'registry-mirrors': [open.url] } });
});

after(async () => {
  await d?.stop();
  await open?.stop();
  await authReg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (args: string[], opts: { timeoutMs?: number; input?: string } = {}) => docker(args, d.dockerEnv, { timeoutMs: 120_000, ...opts });

async function ok(args: string[]): Promise<string> {
  const r = await run(args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}\n${d.stderr().slice(-2000)}`);
  return r.stdout;
}

async function imageId(ref: string): Promise<string> {
  return (await ok(['image', 'inspect', '--format', '{{.Id}}', ref])).trim();
}

test('docker pull from a loopback registry: progress, digest, then up to date', { skip }, async () => {
  const out = await ok(['pull', BB]);
  assert.match(out, /^latest: Pulling from busybox$/m);
  for (const l of image.layers) assert.match(out, new RegExp(`^${l.digest.slice(7, 19)}: Pull complete$`, 'm'));
  assert.match(out, /Download complete/);
  assert.match(out, new RegExp(`^Digest: ${image.manifestDigest}$`, 'm'));
  assert.match(out, new RegExp(`^Status: Downloaded newer image for ${BB}$`, 'm'));
  const again = await ok(['pull', BB]);
  assert.match(again, /Already exists/);
  assert.match(again, new RegExp(`Status: Image is up to date for ${BB}`));
  const missing = await run(['pull', `${open.host}/nope:latest`]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Error response from daemon: manifest for .*nope:latest not found/);
});

test('docker images: table, json format, -q, --digests, filters', { skip }, async () => {
  const id = await imageId(BB);
  assert.equal(id, image.configDigest);
  const table = await ok(['images']);
  assert.match(table, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/m);
  assert.match(table, new RegExp(`^${open.host}/busybox\\s+latest\\s+${id.slice(7, 19)}\\s`, 'm'));
  const rows = (await ok(['images', '--format', '{{json .}}'])).trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
  const row = rows.find((r) => r.Repository === `${open.host}/busybox`)!;
  assert.equal(row.Tag, 'latest');
  assert.equal(row.ID, id.slice(7, 19));
  assert.match(row.Size, /MB$/);
  assert.ok((await ok(['images', '-q'])).split('\n').includes(id.slice(7, 19)));
  assert.match(await ok(['images', '--digests']), new RegExp(`${open.host}/busybox\\s+latest\\s+${image.manifestDigest}`));
  assert.match(await ok(['images', '--filter', `reference=${open.host}/busy*`, '--format', '{{.Repository}}:{{.Tag}}']), new RegExp(`^${BB}$`, 'm'));
  assert.equal((await ok(['images', '--filter', 'reference=nomatch*', '-q'])).trim(), '');
  assert.equal((await ok(['images', '--filter', 'dangling=true', '-q'])).trim(), '');
  const bad = await run(['images', '--filter', 'bogus=1']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /invalid filter 'bogus'/);
});

test('docker image inspect and docker history', { skip }, async () => {
  const info = JSON.parse(await ok(['image', 'inspect', BB])) as Record<string, unknown>[];
  assert.equal(info.length, 1);
  const i = info[0] as { Id: string; RepoTags: string[]; RepoDigests: string[]; Config: { Cmd: string[] }; RootFS: { Layers: string[] }; Os: string };
  assert.equal(i.Id, image.configDigest);
  assert.deepEqual(i.RepoTags, [BB]);
  assert.deepEqual(i.RepoDigests, [`${open.host}/busybox@${image.manifestDigest}`]);
  assert.deepEqual(i.Config.Cmd, ['sh']);
  assert.deepEqual(i.RootFS.Layers, image.layers.map((l) => l.diffId));
  assert.equal(i.Os, 'linux');
  const hist = (await ok(['history', '--format', '{{.ID}} {{.CreatedBy}}', BB])).trim().split('\n');
  assert.equal(hist.length, 2);
  assert.equal(hist[0], `${image.configDigest.slice(7, 19)} berth test oci-layout`);
  assert.equal(hist[1], '<missing> berth test oci-layout');
  const none = await run(['image', 'inspect', 'no-such-image:1']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /No such image: no-such-image:1/);
});

test('docker tag, then docker run --rm with the pulled image', { skip }, async () => {
  await ok(['tag', BB, 'mybox:1']);
  await ok(['tag', BB, 'example.com/team/mybox']);
  assert.equal(await imageId('mybox:1'), image.configDigest);
  assert.equal(await imageId('example.com/team/mybox:latest'), image.configDigest);
  const out = await ok(['run', '--rm', `${open.host}/busybox`, 'cat', '/etc/motd']);
  assert.equal(out, 'layer two\n');
  assert.equal(await ok(['run', '--rm', 'mybox:1', 'echo', 'hi']), 'hi\n');
});

test('docker rmi: untag, conflicts with a container, -f', { skip }, async () => {
  assert.equal((await ok(['rmi', 'example.com/team/mybox'])).trim(), 'Untagged: example.com/team/mybox:latest');
  // Another tag is left: removing this one only untags, even with a container using the image.
  await ok(['tag', BB, 'victim:1']);
  const cid = (await ok(['create', 'victim:1', 'true'])).trim();
  try {
    assert.equal((await ok(['rmi', 'mybox:1'])).trim(), 'Untagged: mybox:1');
    await ok(['rmi', BB]);
    // victim:1 is the last reference now.
    const c = await run(['rmi', 'victim:1']);
    assert.equal(c.code, 1);
    assert.match(c.stderr, new RegExp(`Error response from daemon: conflict: unable to remove repository reference "victim:1" \\(must force\\) - container ${cid.slice(0, 12)} is using its referenced image ${image.configDigest.slice(7, 19)}`));
    const byId = await run(['rmi', image.configDigest.slice(7, 19)]);
    assert.equal(byId.code, 1);
    assert.match(byId.stderr, new RegExp(`conflict: unable to delete ${image.configDigest.slice(7, 19)} \\(must be forced\\) - image is being used by stopped container ${cid.slice(0, 12)}`));
    const forced = await ok(['rmi', '-f', 'victim:1']);
    assert.match(forced, /^Untagged: victim:1$/m);
    assert.match(forced, new RegExp(`^Deleted: ${image.configDigest}$`, 'm'));
    assert.equal((await ok(['images', '-q'])).trim(), '');
    // The container still starts: its snapshot keeps the layers.
    assert.equal((await ok(['start', '-a', cid])), '');
  } finally {
    await run(['rm', '-f', cid]);
  }
  const gone = await run(['rmi', 'victim:1']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /No such image: victim:1/);
});

test('docker save, rmi, load -i; docker save | docker load through stdin', { skip }, async () => {
  await ok(['pull', BB]);
  await ok(['tag', BB, 'saved:1']);
  const tar = join(dir, 'saved.tar');
  await ok(['save', '-o', tar, BB, 'saved:1']);
  assert.ok(statSync(tar).size > 1_000_000);
  const manifest = JSON.parse(execFileSync('tar', ['-xOf', tar, 'manifest.json'], { encoding: 'utf8' })) as { RepoTags: string[]; Layers: string[] }[];
  assert.deepEqual(manifest.map((m) => m.RepoTags), [[BB, 'saved:1']]);
  assert.equal(manifest[0].Layers.length, 2);
  const missing = await run(['save', '-o', join(dir, 'none.tar'), 'no-such:1']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such image: no-such:1/);
  await ok(['rmi', BB, 'saved:1']);
  assert.equal((await ok(['images', '-q'])).trim(), '');
  const loaded = await ok(['load', '-i', tar]);
  assert.match(loaded, new RegExp(`^Loaded image: ${BB}$`, 'm'));
  assert.match(loaded, /^Loaded image: saved:1$/m);
  assert.equal(await imageId('saved:1'), image.configDigest);
  assert.equal(await ok(['run', '--rm', 'saved:1', 'cat', '/etc/motd']), 'layer two\n');
  await ok(['rmi', 'saved:1']);
  // Through pipes, gzipped as people do: the archive streams out of GET /images/get and into
  // POST /images/load, which takes compressed archives as Docker does.
  const gz = join(dir, 'saved.tar.gz');
  execFileSync('bash', ['-o', 'pipefail', '-c', `${DOCKER_BIN} save ${BB} | gzip > ${gz}`], { env: d.dockerEnv });
  await ok(['rmi', BB]);
  const piped = execFileSync('bash', ['-o', 'pipefail', '-c', `gunzip -c ${gz} | ${DOCKER_BIN} load -q && ${DOCKER_BIN} load -q < ${gz}`], { env: d.dockerEnv, encoding: 'utf8' });
  assert.equal(piped, `Loaded image: ${BB}\nLoaded image: ${BB}\n`);
  assert.equal(await imageId(BB), image.configDigest);
});

test('docker import from a file, from stdin and from a URL, with --change', { skip }, async () => {
  const tar = join(dir, 'rootfs.tar');
  execFileSync('tar', ['-C', join(dir, 'rootfs'), '-cf', tar, '.']);
  const out = (await ok(['import', tar, 'imported:1', '--change', 'CMD ["sh", "-c", "echo from-import"]', '--change', 'ENV A=1', '-m', 'hello'])).trim();
  assert.match(out, /^sha256:[0-9a-f]{64}$/);
  assert.equal(await imageId('imported:1'), out);
  const cfg = JSON.parse(await ok(['image', 'inspect', '--format', '{{json .Config}}', 'imported:1'])) as { Cmd: string[]; Env: string[] };
  assert.deepEqual(cfg.Cmd, ['sh', '-c', 'echo from-import']);
  assert.deepEqual(cfg.Env, ['A=1']);
  assert.equal(await ok(['run', '--rm', 'imported:1']), 'from-import\n');
  assert.match(await ok(['history', '--format', '{{.Comment}}', 'imported:1']), /hello/);
  // From stdin (the CLI streams its stdin as the body).
  const piped = execFileSync('bash', ['-c', `${DOCKER_BIN} import - imported:2 < ${tar}`], { env: d.dockerEnv, encoding: 'utf8' }).trim();
  assert.match(piped, /^sha256:/);
  // From a URL berthd downloads.
  const srv: Server = createServer((_req, res) => { res.setHeader('content-length', statSync(tar).size); createReadStream(tar).pipe(res); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (srv.address() as { port: number }).port;
    const fromUrl = await ok(['import', `http://127.0.0.1:${port}/rootfs.tar`, 'imported:url']);
    assert.match(fromUrl, /sha256:[0-9a-f]{64}/);
    assert.equal(await ok(['run', '--rm', 'imported:url', 'echo', 'url']), 'url\n');
  } finally {
    await new Promise<void>((r) => srv.close(() => r()));
  }
  await ok(['rmi', 'imported:1', 'imported:2', 'imported:url']);
});

test('docker login, push to a registry with htpasswd auth, pull back with the stored credentials', { skip }, async () => {
  const target = `${authReg.host}/team/busybox:v1`;
  const anon = await run(['pull', target]);
  assert.equal(anon.code, 1);
  const wrong = await run(['login', authReg.host, '-u', 'alice', '-p', 'nope']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /401 Unauthorized/);
  const login = await run(['login', authReg.host, '-u', 'alice', '-p', 's3cret']);
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /Login Succeeded/);
  await ok(['pull', BB]);
  await ok(['tag', BB, target]);
  const pushed = await ok(['push', target]);
  assert.match(pushed, new RegExp(`The push refers to repository \\[${authReg.host}/team/busybox\\]`));
  assert.match(pushed, new RegExp(`v1: digest: ${image.manifestDigest} size: ${image.manifestSize}`));
  for (const l of image.layers) assert.match(pushed, new RegExp(`^${l.diffId.slice(7, 19)}: Pushed$`, 'm'));
  // Again: the registry has every layer; another repository of it gets them mounted.
  assert.match(await ok(['push', target]), /: Layer already exists$/m);
  await ok(['tag', BB, `${authReg.host}/other/busybox:v2`]);
  assert.match(await ok(['push', `${authReg.host}/other/busybox:v2`]), /: Mounted from team\/busybox$/m);
  await ok(['rmi', `${authReg.host}/other/busybox:v2`]);
  const raw = JSON.parse(await skopeo(['inspect', '--tls-verify=false', '--creds', 'alice:s3cret', `docker://${target}`])) as { Digest: string };
  assert.equal(raw.Digest, image.manifestDigest);
  await ok(['rmi', target]);
  const back = await ok(['pull', target]);
  assert.match(back, new RegExp(`Status: (Downloaded newer image|Image is up to date) for ${target}`));
  assert.equal(await imageId(target), image.configDigest);
  await ok(['logout', authReg.host]);
  await ok(['rmi', target]);
  const after = await run(['pull', target]);
  assert.equal(after.code, 1);
  assert.match(after.stderr, /Error response from daemon: .*(authentication required|unauthorized)/);
  const noImage = await run(['push', `${authReg.host}/team/none:v1`]);
  assert.equal(noImage.code, 1);
  assert.match(noImage.stderr, /An image does not exist locally with the tag/);
});

test('a stand-in Docker Hub: registry-mirrors resolves docker pull busybox', { skip }, async () => {
  const out = await ok(['pull', 'busybox']);
  assert.match(out, /^latest: Pulling from library\/busybox$/m);
  assert.match(out, /^Status: (Downloaded newer image|Image is up to date) for busybox:latest$/m);
  assert.match(out, /^docker\.io\/library\/busybox:latest$/m);
  assert.equal(await imageId('busybox'), image.configDigest);
  assert.equal(await ok(['run', '--rm', 'busybox', 'echo', 'hub']), 'hub\n');
  assert.match(await ok(['images', '--format', '{{.Repository}}:{{.Tag}}']), /^busybox:latest$/m);
});

test('docker image prune -f removes dangling images; -a the unused ones', { skip }, async () => {
  const tar = join(dir, 'rootfs.tar');
  if (!existsSync(tar)) execFileSync('tar', ['-C', join(dir, 'rootfs'), '-cf', tar, '.']);
  const a = (await ok(['import', tar, 'dangle:1', '--change', 'CMD ["a"]'])).trim();
  const b = (await ok(['import', tar, 'dangle:1', '--change', 'CMD ["b"]'])).trim();
  assert.notEqual(a, b);
  assert.equal((await ok(['images', '--filter', 'dangling=true', '-q', '--no-trunc'])).trim(), a);
  const out = await ok(['image', 'prune', '-f']);
  assert.match(out, /^Deleted Images:$/m);
  assert.match(out, new RegExp(`^deleted: ${a}$`, 'm'));
  assert.match(out, /^Total reclaimed space: /m);
  assert.equal((await ok(['images', '--filter', 'dangling=true', '-q'])).trim(), '');
  assert.equal(await imageId('dangle:1'), b);
  // -a: every image no container uses; the one a container uses stays.
  await ok(['pull', BB]);
  const cid = (await ok(['create', BB, 'true'])).trim();
  try {
    const all = await ok(['image', 'prune', '-a', '-f']);
    assert.match(all, /^untagged: dangle:1$/m);
    assert.match(all, new RegExp(`^deleted: ${b}$`, 'm'));
    // busybox:latest (from the mirror) is the same image: it stays too.
    assert.deepEqual((await ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).trim().split('\n').sort(), [BB, 'busybox:latest'].sort());
  } finally {
    await run(['rm', '-f', cid]);
  }
});

test('docker image prune --filter label / label! / until', { skip }, async () => {
  const tar = join(dir, 'rootfs.tar');
  if (!existsSync(tar)) execFileSync('tar', ['-C', join(dir, 'rootfs'), '-cf', tar, '.']);
  const mk = async (tag: string, ...labels: string[]) => (await ok(['import', tar, tag, ...labels.flatMap((l) => ['--change', `LABEL ${l}`])])).trim();
  const keep = await mk('pf:keep', 'keep=yes', 'team=a');
  const drop = await mk('pf:drop', 'team=a');
  const other = await mk('pf:other', 'team=b');
  try {
    // until: these were created just now, so none is older than an hour.
    assert.doesNotMatch(await ok(['image', 'prune', '-a', '-f', '--filter', 'until=1h', '--filter', 'label=team']), /deleted:/);
    const out = await ok(['image', 'prune', '-a', '-f', '--filter', 'label=team=a', '--filter', 'label!=keep=yes']);
    assert.match(out, /^untagged: pf:drop$/m);
    assert.match(out, new RegExp(`^deleted: ${drop}$`, 'm'));
    assert.doesNotMatch(out, /pf:keep|pf:other/);
    assert.equal(await imageId('pf:keep'), keep);
    assert.equal(await imageId('pf:other'), other);
    const bad = await run(['image', 'prune', '-f', '--filter', 'reference=x']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /invalid filter 'reference'/);
  } finally {
    await run(['rmi', 'pf:keep', 'pf:drop', 'pf:other']);
  }
});

test('docker system df, and docker search says it is not supported', { skip }, async () => {
  await ok(['pull', BB]);
  const cid = (await ok(['create', BB, 'true'])).trim();
  try {
    const table = await ok(['system', 'df']);
    assert.match(table, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/m);
    assert.match(table, /^Images\s+\d+\s+1\s+\d/m);
    assert.match(table, /^Containers\s+1\s+0\s/m);
    const verbose = await ok(['system', 'df', '-v']);
    assert.match(verbose, new RegExp(`${open.host}/busybox\\s+latest\\s+${image.configDigest.slice(7, 19)}`));
    assert.match(verbose, new RegExp(cid.slice(0, 12)));
    const rows = (await ok(['system', 'df', '--format', '{{json .}}'])).trim().split('\n').map((l) => JSON.parse(l) as { Type: string; TotalCount: string });
    assert.deepEqual(rows.map((r) => r.Type), ['Images', 'Containers', 'Local Volumes', 'Build Cache']);
  } finally {
    await run(['rm', '-f', cid]);
  }
  const s = await run(['search', 'busybox']);
  assert.equal(s.code, 1);
  assert.match(s.stderr, /not supported by berth/);
});

function rawPost(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: d.socket, method: 'POST', path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject).end();
  });
}

test('raw HTTP: pull messages in Docker\'s shape; a failure after the stream started is in-band', { skip }, async () => {
  const bad = await writeOciLayout(join(dir, 'broken-layout'), 'v1', [randomRootfs(join(dir, 'random'), 200_000)]);
  await skopeo(['copy', '--dest-tls-verify=false', `oci:${bad.dir}:v1`, `docker://${open.host}/broken:1`]);
  const hex = bad.layers[0].digest.slice(7);
  rmSync(join(open.root, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex), { recursive: true });
  const r = await rawPost(`/v1.47/images/create?fromImage=${encodeURIComponent(`${open.host}/broken`)}&tag=1`);
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/json');
  const msgs = r.body.trim().split(/\r?\n/).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(msgs[0], { status: 'Pulling from broken', id: '1' });
  assert.deepEqual(msgs[1], { status: 'Pulling fs layer', progressDetail: {}, id: hex.slice(0, 12) });
  const last = msgs.at(-1) as { error: string; errorDetail: { message: string } };
  assert.match(last.error, /not found/);
  assert.equal(last.errorDetail.message, last.error);
  const cli = await run(['pull', `${open.host}/broken:1`]);
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /not found/);
  assert.equal((await run(['image', 'inspect', `${open.host}/broken:1`])).code, 1, 'nothing half-made is left');
  // Before any message the error is an ordinary reply.
  const early = await rawPost(`/images/create?fromImage=${encodeURIComponent(`${open.host}/nothing`)}&tag=x`);
  assert.equal(early.status, 404);
  assert.match((JSON.parse(early.body) as { message: string }).message, /manifest for .*nothing:x not found/);
  const noSrc = await rawPost('/images/create');
  assert.equal(noSrc.status, 400);
});

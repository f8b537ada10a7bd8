// `berth cp [-a] [-L] [-q] CONTAINER:SRC_PATH DEST_PATH|-` and `SRC_PATH|- CONTAINER:DEST_PATH`,
// with docker's rules: stat the destination first, rename the top entry when copying to a new name.
import type { IncomingMessage } from 'node:http';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { failedPrecondition, invalidArgument } from '../../../errors/errors.ts';
import { bool, type CliContext, type Command } from '../../command.ts';
import { humanSize } from '../../format/human-units.ts';
import { destinationInfo, localAbs, packTar, sourceInfo, unpackTar, validateOutputPath } from './cp-host.ts';
import { joinPath, prepareArchiveCopy, rebaseName, splitCpArg, splitPathDirEntry, type CopyInfo } from './cp-paths.ts';

interface PathStat { name: string; size: number; mode: number; mtime: string; linkTarget: string }
interface Cp { ctx: CliContext; container: string; src: string; dst: string; followLink: boolean; copyUidGid: boolean; quiet: boolean }

const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
const MODE_DEVICE = 2 ** 26;
const MODE_IRREGULAR = 2 ** 19;

async function statPath(ctx: CliContext, id: string, path: string): Promise<PathStat> {
  const res = await ctx.client.stream('ContainerArchiveInfo', { params: { id }, query: { path } });
  res.resume();
  const h = res.headers['x-docker-container-path-stat'];
  if (typeof h !== 'string') throw failedPrecondition('unable to get container path stat header');
  return JSON.parse(Buffer.from(h, 'base64').toString('utf8')) as PathStat;
}

/** Counts the bytes passing through (docker's copyProgressPrinter total). */
function counter(total: { n: number }): Transform {
  return new Transform({ transform(chunk: Buffer, _e, cb) { total.n += chunk.length; cb(null, chunk); } });
}

async function copyFromContainer(o: Cp): Promise<void> {
  let src = o.src;
  let rebase: string | undefined;
  if (o.followLink) {
    const st = await statPath(o.ctx, o.container, src).catch(() => undefined);
    if (st && st.mode & MODE_SYMLINK) {
      let target = st.linkTarget;
      if (!target.startsWith('/')) target = joinPath(splitPathDirEntry(src)[0], target);
      ({ path: src, rebase } = rebaseName(src, target));
    }
  }
  const res: IncomingMessage = await o.ctx.client.stream('ContainerArchive', { params: { id: o.container }, query: { path: src } });
  if (o.dst === '-') { await pipeline(res, o.ctx.io.stdout, { end: false }); return; }
  const dst = localAbs(o.dst);
  validateOutputPath(dst);
  const h = res.headers['x-docker-container-path-stat'];
  const st = typeof h === 'string' ? JSON.parse(Buffer.from(h, 'base64').toString('utf8')) as PathStat : undefined;
  const srcInfo: CopyInfo = { path: src, exists: true, isDir: ((st?.mode ?? 0) & MODE_DIR) !== 0, rebaseName: rebase };
  let prep;
  try { prep = prepareArchiveCopy(srcInfo, destinationInfo(dst)); } catch (err) { res.destroy(); throw err; }
  const total = { n: 0 };
  await unpackTar(res.pipe(counter(total)), prep.dstDir, prep.rename);
  if (!o.quiet) o.ctx.err(`Successfully copied ${humanSize(total.n)} to ${o.dst}\n`);
}

async function copyToContainer(o: Cp): Promise<void> {
  const { ctx, container } = o;
  const dstInfo: CopyInfo = { path: o.dst, exists: false, isDir: false };
  let st = await statPath(ctx, container, o.dst).catch(() => undefined);
  if (st && st.mode & MODE_SYMLINK) {
    let target = st.linkTarget;
    if (!target.startsWith('/')) target = joinPath(splitPathDirEntry(o.dst)[0], target);
    dstInfo.path = target;
    st = await statPath(ctx, container, target).catch(() => undefined);
  }
  if (st && st.mode & (MODE_DEVICE | MODE_IRREGULAR)) {
    throw invalidArgument(`destination "${container}:${o.dst}" must be a directory or a regular file: ${st.mode & MODE_DEVICE ? 'got a device' : 'got an irregular file'}`);
  }
  if (st) { dstInfo.exists = true; dstInfo.isDir = (st.mode & MODE_DIR) !== 0; }
  let content: Readable;
  let target: string;
  let packed: Promise<void> = Promise.resolve();
  if (o.src === '-') {
    if (!dstInfo.isDir) throw invalidArgument(`destination "${container}:${o.dst}" must be a directory`);
    content = ctx.io.stdin;
    target = dstInfo.path;
  } else {
    const srcInfo = sourceInfo(localAbs(o.src), o.followLink);
    const prep = prepareArchiveCopy(srcInfo, dstInfo);
    const tar = packTar(srcInfo, prep.rename);
    content = tar.stream;
    packed = tar.done;
    target = prep.dstDir;
  }
  const total = { n: 0 };
  const body = content.pipe(counter(total)).pipe(new PassThrough());
  const res = await ctx.client.stream('PutContainerArchive', {
    params: { id: container }, body, headers: { 'Content-Type': 'application/x-tar' },
    query: { path: target, noOverwriteDirNonDir: 'true', copyUIDGID: o.copyUidGid ? 'true' : undefined },
  });
  res.resume();
  await packed;
  if (!o.quiet && o.src !== '-') ctx.err(`Successfully copied ${humanSize(total.n)} to ${container}:${o.dst}\n`);
}

export const cp: Command = {
  name: 'cp', usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  summary: 'Copy files/folders between a container and the local filesystem', args: { min: 2, max: 2 },
  flags: [
    { name: 'archive', short: 'a', kind: 'bool', help: 'Archive mode (copy all uid/gid information)' },
    { name: 'follow-link', short: 'L', kind: 'bool', help: 'Always follow symbol link in SRC_PATH' },
    { name: 'quiet', short: 'q', kind: 'bool', help: 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached' },
  ],
  async run(ctx, f, [source, destination]) {
    if (source === '') throw invalidArgument('source can not be empty');
    if (destination === '') throw invalidArgument('destination can not be empty');
    const [srcC, src] = splitCpArg(source);
    const [dstC, dst] = splitCpArg(destination);
    if (srcC && dstC) throw invalidArgument('copying between containers is not supported');
    if (!srcC && !dstC) throw invalidArgument('must specify at least one container source');
    const o: Cp = {
      ctx, container: srcC || dstC, src, dst, followLink: bool(f, 'follow-link'), copyUidGid: bool(f, 'archive'),
      quiet: bool(f, 'quiet') || ctx.io.stderr.isTTY !== true,
    };
    await (srcC ? copyFromContainer(o) : copyToContainer(o));
  },
};

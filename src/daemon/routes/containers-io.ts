// The streaming container routes: logs (json-file, follow, since/until, tail, timestamps),
// attach (hijacked, stdcopy-multiplexed unless a TTY), wait and resize.
import type { Router } from '../router.ts';
import type { DaemonDeps } from '../start-daemon.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import { hijackContentType } from '../hijack.ts';
import { encodeFrame } from '../../api/stdcopy.ts';
import type { FrameOptions } from '../../container/logs/fast-frames.ts';
import { MEDIA_MULTIPLEXED_STREAM, MEDIA_RAW_STREAM } from '../../api/media-types.ts';
import { versionAtLeast } from '../../api/version.ts';
import { invalidArgument } from '../../errors/errors.ts';
import { DetachScanner } from '../../api/detach-keys.ts';
import { attachLive, detachKeysOf } from './attach-session.ts';

/** Docker's since/until: unix seconds with an optional fraction ("1700000000.000000001"). */
function parseTimestamp(v: string | undefined): bigint | undefined {
  if (!v || v === '0') return undefined;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(v);
  if (!m) throw invalidArgument(`invalid value for time: ${v}`);
  return BigInt(m[1]) * 1_000_000_000n + BigInt((m[2] ?? '0').padEnd(9, '0'));
}

/** The whole log framed, in pieces of about 1 MiB of lines. */
async function* fastLogFrames(path: string, tail: number | undefined, o: FrameOptions): AsyncGenerator<Uint8Array> {
  const [{ readLogBytes }, { framesFromJsonLog }] = await Promise.all([import('../../container/logs/reader.ts'), import('../../container/logs/fast-frames.ts')]);
  const all = await readLogBytes(path, tail);
  for (let at = 0; at < all.length;) {
    const limit = at + (1 << 20);
    const end = limit >= all.length ? all.length : all.indexOf(10, limit) + 1 || all.length;
    const { out } = framesFromJsonLog(all.subarray(at, end), o);
    if (out.length) yield out;
    at = end;
  }
}

export function registerContainerIoRoutes(router: Router, engine: Engine, _deps: DaemonDeps): void {
  const c = engine.containers;

  router.add('GET', '/containers/{id}/logs', (ctx) => {
    const rec = c.get(ctx.params.id);
    const q = ctx.query;
    const stdout = q.bool('stdout'), stderr = q.bool('stderr');
    if (!stdout && !stderr) throw invalidArgument('Bad parameters: you must choose at least one stream');
    const tailArg = q.string('tail');
    const tail = !tailArg || tailArg === 'all' ? undefined : Number.parseInt(tailArg, 10);
    const follow = q.bool('follow');
    const tty = rec.Config.Tty ?? false;
    const type = tty ? MEDIA_RAW_STREAM : versionAtLeast(ctx.apiVersion, '1.42') ? MEDIA_MULTIPLEXED_STREAM : MEDIA_RAW_STREAM;
    const sinceNs = parseTimestamp(q.string('since')), untilNs = parseTimestamp(q.string('until'));
    if ((!follow || !rec.State.Running) && sinceNs === undefined && untilNs === undefined && !q.bool('timestamps')) {
      // The common case, from the file's bytes to the answer's (fast-frames.ts). Without follow
      // (a client taking the whole log) consecutive entries of a stream share a frame: the
      // docker CLI writes each frame on its own, and 100k one-line frames cost it 200 ms.
      // Followers keep Docker's one frame per entry.
      return Reply.stream(fastLogFrames(rec.LogPath, Number.isNaN(tail) ? undefined : tail, { stdout, stderr, tty, coalesce: !follow }), type);
    }
    const stopped = rec.State.Running ? c.wait(rec.ID, 'not-running') : Promise.resolve();
    const timestamps = q.bool('timestamps');
    // Without follow the whole answer is known: send it in 64 KiB writes, not one per line.
    async function* frames(): AsyncGenerator<Uint8Array> {
      const { readLogs, formatEntry } = await import('../../container/logs/reader.ts'); // not at start-up
      const entries = readLogs(rec.LogPath, { tail: Number.isNaN(tail) ? undefined : tail, sinceNs, untilNs, follow, stopped, signal: ctx.signal });
      let batch: Buffer[] = [];
      let size = 0;
      for await (const e of entries) {
        if (e.stream === 'stdout' ? !stdout : !stderr) continue;
        const text = Buffer.from(formatEntry(e, timestamps));
        const out = tty ? text : encodeFrame(e.stream, text);
        if (follow) { yield out; continue; }
        batch.push(out);
        size += out.length;
        if (size >= 65536) { yield Buffer.concat(batch, size); batch = []; size = 0; }
      }
      if (size) yield Buffer.concat(batch, size);
    }
    return Reply.stream(frames(), type);
  });

  router.add('POST', '/containers/{id}/attach', (ctx) => {
    const rec = c.get(ctx.params.id);
    const q = ctx.query;
    const tty = rec.Config.Tty ?? false;
    const wantStdin = q.bool('stdin') && (rec.Config.OpenStdin ?? false);
    const stdout = q.bool('stdout'), stderr = q.bool('stderr');
    // Docker watches a TTY session's stdin for the detach keys (default ctrl-p,ctrl-q).
    const keys = detachKeysOf(q.string('detachKeys'));
    return Reply.hijack(hijackContentType(ctx.apiVersion, tty), async (hc) => {
      const write = (stream: 'stdout' | 'stderr', data: Buffer) => { hc.output.write(tty ? data : encodeFrame(stream, data)); };
      // logs=1: the log so far first (as dockerd replays it), then the live output with stream=1.
      if (q.bool('logs') && rec.LogPath) {
        const { readLogs } = await import('../../container/logs/reader.ts');
        for await (const e of readLogs(rec.LogPath, { signal: hc.signal })) {
          if (e.stream === 'stdout' ? stdout : stderr) write(e.stream, Buffer.from(e.log));
        }
      }
      if (!q.bool('stream')) { hc.close(); return; }
      await attachLive(c, rec, hc, { stdout, stderr, write, stdin: wantStdin, detach: tty ? new DetachScanner(keys) : undefined });
    });
  });

  router.add('POST', '/containers/{id}/wait', async (ctx) => {
    const cond = (ctx.query.string('condition') || 'not-running') as 'not-running' | 'next-exit' | 'removed';
    if (!['not-running', 'next-exit', 'removed'].includes(cond)) throw invalidArgument(`invalid condition: "${cond}"`);
    // Docker sends the headers at once and the body at the exit: `docker run` waits for the
    // headers of this request before it starts the container.
    const result = c.wait(ctx.params.id, cond);
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`${JSON.stringify(await result)}\n`);
    }
    return Reply.stream(body(), 'application/json');
  });

  router.add('POST', '/containers/{id}/resize', (ctx) => {
    const h = ctx.query.int('h', 0), w = ctx.query.int('w', 0);
    c.resize(ctx.params.id, h, w);
    return Reply.empty(200);
  });
}

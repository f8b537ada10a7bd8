// docker exec over the Engine API: create, start (hijacked stream or detached), inspect, resize.
import type { Router } from '../router.ts';
import type { Engine } from '../engine.ts';
import { Reply } from '../reply.ts';
import { hijackContentType } from '../hijack.ts';
import { encodeFrame } from '../../api/stdcopy.ts';
import type { ExecConfig } from '../../container/service/exec-service.ts';
import type { AttachRelay } from '../../container/service/attach-relay.ts';
import { invalidArgument } from '../../errors/errors.ts';
import { DetachScanner, parseDetachKeys } from '../../api/detach-keys.ts';

export function registerExecRoutes(router: Router, engine: Engine): void {
  const execs = engine.execs;

  router.add('POST', '/containers/{id}/exec', async (ctx) => {
    const cfg = await ctx.json<ExecConfig>();
    if (!cfg) throw invalidArgument('config cannot be empty');
    if (cfg.DetachKeys) {
      try { parseDetachKeys(cfg.DetachKeys); } catch { throw invalidArgument(`Invalid escape keys (${cfg.DetachKeys}) provided`); }
    }
    return Reply.json(execs.create(ctx.params.id, cfg), 201);
  });

  router.add('POST', '/exec/{id}/start', async (ctx) => {
    const body = (await ctx.json<{ Detach?: boolean; Tty?: boolean }>()) ?? {};
    const e = execs.get(ctx.params.id);
    const tty = body.Tty ?? e.ProcessConfig.tty;
    if (body.Detach) {
      await execs.start(e.ID, { tty });
      return Reply.empty(200);
    }
    return Reply.hijack(hijackContentType(ctx.apiVersion, tty), (conn) => new Promise<void>((resolve, reject) => {
      let relay: AttachRelay | undefined;
      let ended = false, closed = false;
      const finish = async (detached = false) => {
        if (ended) return;
        ended = true;
        // The client asks for the exit code right after EOF: have it first (not after a detach:
        // the process goes on).
        if (!detached) await Promise.race([e.exited, new Promise((r) => setTimeout(r, 2000))]);
        closed = true;
        conn.close();
        resolve();
      };
      const pending: Buffer[] = [];
      let inputEnded = false;
      // Docker watches a TTY exec's stdin for the detach keys (default ctrl-p,ctrl-q).
      const scanner = tty ? new DetachScanner(e.DetachKeys ? parseDetachKeys(e.DetachKeys) : undefined) : undefined;
      if (e.OpenStdin) {
        conn.input.on('data', (raw: Buffer) => {
          if (ended) return;
          const r = scanner?.push(raw);
          const d = r ? Buffer.from(r.data) : raw;
          if (d.length) { if (relay) relay.stdin(d); else pending.push(d); }
          if (r?.detach) void finish(true);
        });
        conn.input.on('end', () => { inputEnded = true; relay?.closeStdin(); });
        conn.input.on('error', () => {});
      }
      conn.signal.addEventListener('abort', () => { void finish(); }, { once: true });
      execs.start(e.ID, {
        tty,
        session: {
          stdout: e.OpenStdout, stderr: e.OpenStderr,
          onData: (stream, data) => { if (!closed) conn.output.write(tty ? data : encodeFrame(stream === 1 ? 'stdout' : 'stderr', data)); },
          onEnd: () => { void finish(); },
        },
      }).then((r) => {
        relay = r.relay;
        for (const d of pending.splice(0)) relay?.stdin(d);
        if (inputEnded) relay?.closeStdin();
      }, (err: Error) => {
        if (ended) return;
        ended = true;
        conn.output.write(encodeFrame('stderr', Buffer.from(`${err.message}\n`)));
        conn.close();
        reject(err);
      });
    }));
  });

  router.add('GET', '/exec/{id}/json', (ctx) => execs.inspect(ctx.params.id));
  router.add('POST', '/exec/{id}/resize', (ctx) => {
    execs.resize(ctx.params.id, ctx.query.int('h', 0), ctx.query.int('w', 0));
    return Reply.empty(200);
  });
}

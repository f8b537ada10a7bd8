// `berth exec [-d] [-i] [-t] [-e] [-u] [-w] [--privileged] CONTAINER COMMAND [ARG...]`:
// POST /containers/{id}/exec, then /exec/{id}/start (hijacked unless -d), then the exit code
// from /exec/{id}/json.
import { readFileSync } from 'node:fs';
import { StatusError } from '../../cli-error.ts';
import { bool, list, str, type Command } from '../../command.ts';
import { DETACHED, detachKeysFor, keepSize, streamHijacked } from './attach-session.ts';

export const exec: Command = {
  name: 'exec', usage: '[OPTIONS] CONTAINER COMMAND [ARG...]', summary: 'Execute a command in a running container', args: { min: 2 },
  interspersed: false,
  flags: [
    { name: 'detach', short: 'd', kind: 'bool', help: 'Detached mode: run command in the background' },
    { name: 'detach-keys', kind: 'string', help: 'Override the key sequence for detaching a container' },
    { name: 'env', short: 'e', kind: 'list', help: 'Set environment variables' },
    { name: 'env-file', kind: 'list', help: 'Read in a file of environment variables' },
    { name: 'interactive', short: 'i', kind: 'bool', help: 'Keep STDIN open even if not attached' },
    { name: 'privileged', kind: 'bool', help: 'Give extended privileges to the command' },
    { name: 'tty', short: 't', kind: 'bool', help: 'Allocate a pseudo-TTY' },
    { name: 'user', short: 'u', kind: 'string', help: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
    { name: 'workdir', short: 'w', kind: 'string', help: 'Working directory inside the container' },
  ],
  async run(ctx, f, [container, ...cmd]) {
    const client = ctx.client;
    const detach = bool(f, 'detach');
    const tty = bool(f, 'tty');
    const stdin = bool(f, 'interactive') && !detach;
    if (stdin && tty && !ctx.io.stdin.isTTY) throw new StatusError(1, 'the input device is not a TTY');
    const envOf = (e: string) => (e.includes('=') || ctx.io.env[e] === undefined ? e : `${e}=${ctx.io.env[e]}`);
    const fileEnv = list(f, 'env-file').flatMap((p) => readFileSync(p, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
    const body = {
      User: str(f, 'user'), Privileged: bool(f, 'privileged'), Tty: tty, AttachStdin: stdin, AttachStderr: !detach, AttachStdout: !detach,
      DetachKeys: detachKeysFor(ctx, f) ?? '', Env: [...fileEnv, ...list(f, 'env')].map(envOf), WorkingDir: str(f, 'workdir'), Cmd: cmd,
    };
    const { Id: execId } = await client.call<{ Id: string }>('ContainerExec', { params: { id: container }, body });
    if (detach) {
      await client.call('ExecStart', { params: { id: execId }, body: { Detach: true, Tty: tty } });
      return;
    }
    const h = await client.hijack('ExecStart', { params: { id: execId }, body: { Detach: false, Tty: tty } });
    const session = streamHijacked(ctx, h, { stdin, tty, detachKeys: body.DetachKeys || undefined });
    const offSize = tty ? keepSize(ctx, (hh, w) => client.call('ExecResize', { params: { id: execId }, query: { h: hh, w } })) : () => {};
    try {
      await session.done;
    } finally {
      offSize();
      session.close();
    }
    if (session.detached) throw new StatusError(1, DETACHED);
    const r = await client.call<{ ExitCode: number | null; Running: boolean }>('ExecInspect', { params: { id: execId } });
    if (r.ExitCode) throw new StatusError(r.ExitCode);
  },
};

// docker exec: processes started inside a running container. Each gets its own monitor (the
// runtime's exec with the io op): an attach socket for its stdio and an exit file; the process
// waits at an exec gate until the daemon's relay is connected, so no output is lost.
import { randomBytes } from '../../sys/random.ts';
import { execFileSync } from 'node:child_process';
import { open, readFile, rm, lstat, mkdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { ContainerService } from './container-service.ts';
import type { RuntimePort } from './ports.ts';
import { AttachRelay, type AttachSession } from './attach-relay.ts';
import { watchExit } from './exit-watch.ts';
import { checkExec } from '../state-machine.ts';
import { resolveUser } from '../spec/user.ts';
import { CAPABILITIES } from '../../runtime/caps/index.ts';
import { notFound, conflict, invalidArgument } from '../../errors/errors.ts';

export interface ExecConfig {
  Cmd: string[]; Env?: string[]; User?: string; WorkingDir?: string; Tty?: boolean; Privileged?: boolean;
  AttachStdin?: boolean; AttachStdout?: boolean; AttachStderr?: boolean; DetachKeys?: string;
}

export interface ExecRecord {
  ID: string; ContainerID: string; Running: boolean; ExitCode: number | null; Pid: number;
  OpenStdin: boolean; OpenStdout: boolean; OpenStderr: boolean; CanRemove: boolean; DetachKeys: string;
  ProcessConfig: { tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user: string };
  config: ExecConfig;
  exited?: Promise<void>;
}

async function imageFile(root: string, name: string): Promise<string | undefined> {
  const p = join(root, 'etc', name);
  const st = await lstat(p).catch(() => undefined);
  return st?.isFile() ? readFile(p, 'utf8') : undefined;
}

export class ExecService {
  readonly execs = new Map<string, ExecRecord>();
  private readonly relays = new Map<string, AttachRelay>();
  private readonly containers: ContainerService;
  private readonly runtime: RuntimePort;
  private readonly dir: string;

  constructor(containers: ContainerService, runtime: RuntimePort, execRoot: string) {
    this.containers = containers;
    this.runtime = runtime;
    this.dir = join(execRoot, 'io');
  }

  create(ref: string, cfg: ExecConfig): { Id: string } {
    const rec = this.containers.get(ref);
    checkExec(rec.ID, rec.State);
    if (!cfg.Cmd?.length) throw invalidArgument('No exec command specified');
    const id = randomBytes(32).toString('hex');
    this.execs.set(id, {
      ID: id, ContainerID: rec.ID, Running: false, ExitCode: null, Pid: 0,
      OpenStdin: cfg.AttachStdin ?? false, OpenStdout: cfg.AttachStdout ?? false, OpenStderr: cfg.AttachStderr ?? false,
      CanRemove: false, DetachKeys: cfg.DetachKeys ?? '',
      ProcessConfig: { tty: cfg.Tty ?? false, entrypoint: cfg.Cmd[0], arguments: cfg.Cmd.slice(1), privileged: cfg.Privileged ?? false, user: cfg.User ?? '' },
      config: cfg,
    });
    return { Id: id };
  }

  get(id: string): ExecRecord {
    const e = this.execs.get(id);
    if (!e) throw notFound(`No such exec instance: ${id}`);
    return e;
  }

  /** Starts the process; with a session its output goes there (and `relay` takes stdin). */
  async start(id: string, opts: { tty?: boolean; session?: AttachSession }): Promise<{ relay?: AttachRelay }> {
    const e = this.get(id);
    if (e.Running || e.ExitCode !== null) throw conflict(`Error: Exec command ${id} has already run`);
    const rec = this.containers.get(e.ContainerID);
    checkExec(rec.ID, rec.State);
    const cfg = e.config;
    const tty = opts.tty ?? cfg.Tty ?? false;
    const rootfs = this.containers.rootfsDir(rec.ID);
    const user = cfg.User ? resolveUser(cfg.User, await imageFile(rootfs, 'passwd'), await imageFile(rootfs, 'group')) : undefined;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const base = join(this.dir, id.slice(0, 24));
    const fifo = `${base}.fifo`, attachPath = `${base}.sock`, exitFile = `${base}.exit`;
    execFileSync('mkfifo', ['-m', '0600', fifo]);
    e.Running = true;
    try {
      const { pid } = await this.runtime.exec({
        id: rec.ID, stdio: ['ignore', 'ignore', 'ignore'],
        process: { args: cfg.Cmd, terminal: tty, ...(cfg.WorkingDir ? { cwd: cfg.WorkingDir } : {}), ...(user ? { user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids } } : {}) },
        extraEnv: cfg.Env ?? [], addCaps: cfg.Privileged ? [...CAPABILITIES] : undefined,
        io: { logPath: '', maxSize: 0, maxFiles: 1, attachPath, tty, openStdin: e.OpenStdin }, gateFifo: fifo, exitFile,
      });
      e.Pid = pid;
      const relay = opts.session ? await AttachRelay.connect(attachPath) : undefined;
      if (relay && opts.session) {
        relay.add(opts.session);
        this.relays.set(id, relay);
      }
      e.exited = new Promise<void>((resolve) => {
        watchExit(exitFile, () => {
          void readFile(exitFile, 'utf8').then((t) => JSON.parse(t) as { exitCode: number }, () => ({ exitCode: 126 })).then((x) => {
            e.ExitCode = x.exitCode;
            e.Running = false;
            this.relays.delete(id);
            void rm(exitFile, { force: true });
            void rm(attachPath, { force: true });
            resolve();
          });
        }, 200);
      });
      const fh = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      await fh.write(Buffer.from([1]));
      await fh.close();
      return { relay };
    } catch (err) {
      e.Running = false;
      e.ExitCode = /executable file not found|no such file/.test((err as Error).message) ? 127 : 126;
      throw err;
    } finally {
      await rm(fifo, { force: true });
    }
  }

  resize(id: string, rows: number, cols: number): void {
    this.get(id);
    this.relays.get(id)?.resize(rows, cols);
  }

  inspect(id: string): Record<string, unknown> {
    const { config: _c, exited: _x, ...view } = this.get(id);
    return { ...view, ProcessConfig: { ...view.ProcessConfig } };
  }
}

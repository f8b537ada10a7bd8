// Starts berthd's API: directories, pidfile, engine id, routes (system routes plus whatever the
// composition root registers), one server per -H address. Returns a handle to stop it cleanly.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { http } from './node-http.ts';
import { join } from 'node:path';
import { invalidArgument } from '../errors/errors.ts';
import { EventBus } from './events.ts';
import { gatherHostFacts } from './host-facts.ts';
import { formatListenAddress, parseListenAddress, type ListenAddress } from './listen-address.ts';
import { listenOn } from './listeners.ts';
import type { Logger } from './logger.ts';
import { DEFAULT_SOCKET, type DaemonOptions } from './options.ts';
import { removePidfile, writePidfile } from './pidfile.ts';
import { Router } from './router.ts';
import { registerSystemRoutes } from './routes/system.ts';
import { attachApiHandlers } from './server.ts';
import { emptySystemBackend, type SystemBackend } from './system-backend.ts';

export interface DaemonDeps {
  options: DaemonOptions;
  logger: Logger;
  events: EventBus;
}

/** What the composition root may hand back after registering its routes. */
export interface RegisterResult {
  system?: SystemBackend;
  /** Called on shutdown, after the listeners closed. */
  close?(): Promise<void>;
}

export type RegisterRoutes = (router: Router, deps: DaemonDeps) => void | RegisterResult | Promise<void | RegisterResult>;

export interface BuildInfo { version: string; gitCommit: string; buildTime: string }

export interface RunningDaemon {
  /** The addresses actually listened on (tcp port 0 resolved). */
  addresses: string[];
  router: Router;
  events: EventBus;
  close(): Promise<void>;
}

function engineId(dataRoot: string): string {
  const file = join(dataRoot, 'engine-id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (id) return id;
  } catch { /* first start */ }
  // The kernel's UUID source: no need to load OpenSSL for one id.
  const id = readFileSync('/proc/sys/kernel/random/uuid', 'utf8').trim();
  writeFileSync(file, id, { mode: 0o600 });
  return id;
}

function checkTcpAllowed(addrs: ListenAddress[], o: DaemonOptions): void {
  if (o.tls || o.tlsExplicitlyOff) return;
  const tcp = addrs.find((a) => a.kind === 'tcp');
  if (tcp) {
    throw invalidArgument(`refusing to listen on ${formatListenAddress(tcp)} without TLS: use --tlsverify with --tlscacert, --tlscert and --tlskey, or say --tls=false to accept an unencrypted, unauthenticated API`);
  }
}

/** node:https (and OpenSSL, ~9 MB of RSS) is loaded only for a TLS listener. */
async function makeServer(o: DaemonOptions, tcp: boolean): Promise<Server> {
  if (!tcp || !o.tls) return http.createServer({ requestTimeout: 0, headersTimeout: 60_000 });
  const t = o.tls;
  const { createServer: createHttpsServer } = await import('node:https');
  return createHttpsServer({
    cert: readFileSync(t.cert!), key: readFileSync(t.key!), ca: t.ca ? readFileSync(t.ca) : undefined,
    requestCert: t.verify, rejectUnauthorized: t.verify, minVersion: 'TLSv1.2', requestTimeout: 0, headersTimeout: 60_000,
  }) as unknown as Server;
}

export async function startDaemon(options: DaemonOptions, logger: Logger, build: BuildInfo, registerRoutes?: RegisterRoutes): Promise<RunningDaemon> {
  const addrs = options.hosts.map((h) => parseListenAddress(h, DEFAULT_SOCKET, options.tls !== undefined));
  checkTcpAllowed(addrs, options);
  mkdirSync(options.dataRoot, { recursive: true, mode: 0o711 });
  mkdirSync(options.execRoot, { recursive: true, mode: 0o711 });
  writePidfile(options.pidfile);
  const servers: Server[] = [];
  const unixPaths: string[] = [];
  let registered: RegisterResult | void = undefined;
  const close = async () => {
    await Promise.all(servers.map((s) => new Promise<void>((r) => { s.close(() => r()); s.closeAllConnections(); })));
    for (const p of unixPaths) rmSync(p, { force: true });
    try { await registered?.close?.(); } finally { removePidfile(options.pidfile); }
  };
  try {
    const events = new EventBus();
    const router = new Router();
    registered = await registerRoutes?.(router, { options, logger, events });
    registerSystemRoutes(router, {
      events, backend: registered?.system ?? emptySystemBackend, host: gatherHostFacts(),
      version: build.version, gitCommit: build.gitCommit, buildTime: build.buildTime, engineId: engineId(options.dataRoot),
      dataRoot: options.dataRoot, debug: options.debug, labels: options.labels,
      runtimes: { berth: { path: 'berth-runtime' } }, defaultRuntime: 'berth',
    });
    const addresses: string[] = [];
    for (const a of addrs) {
      const server = await makeServer(options, a.kind === 'tcp');
      attachApiHandlers(server, { router, logger, serverVersion: build.version });
      servers.push(server);
      addresses.push(await listenOn(server, a, { group: options.group, groupExplicit: options.groupExplicit, logger }));
      if (a.kind === 'unix') unixPaths.push(a.path);
      logger.info(`API listen on ${addresses.at(-1)}`);
    }
    return { addresses, router, events, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}

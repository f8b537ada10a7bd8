// An HTTP forwarder in front of a registry for the proxy tests: counts the requests it passes
// (`METHOD path`) and can slow blob bodies down (so concurrent pulls overlap a download).
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Forwarder {
  url: string;
  host: string;
  /** Requests seen with this method whose path matches. */
  count(method: string, path: RegExp): number;
  close(): Promise<void>;
}

export async function startForwarder(target: string, opts: { blobDelayMsPerMiB?: number } = {}): Promise<Forwarder> {
  const seen: string[] = [];
  const t = new URL(target);
  const srv: Server = createServer((req: IncomingMessage, res) => {
    seen.push(`${req.method} ${req.url}`);
    const headers = { ...req.headers, host: t.host };
    const up = request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      const slow = opts.blobDelayMsPerMiB && /\/blobs\/sha256:/.test(req.url ?? '') && req.method === 'GET';
      if (!slow) { r.pipe(res); return; }
      let pending = 0;
      r.pipe(new Transform({
        transform(chunk: Buffer, _enc, cb) {
          pending += chunk.length;
          if (pending < 1 << 20) { cb(null, chunk); return; }
          pending = 0;
          sleep(opts.blobDelayMsPerMiB).then(() => cb(null, chunk));
        },
      })).pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    count: (method, re) => seen.filter((s) => s.startsWith(`${method} `) && re.test(s.slice(method.length + 1))).length,
    close: () => new Promise<void>((r) => { srv.close(() => r()); srv.closeAllConnections(); }),
  };
}

// Raw hijacked requests to a berthd socket (attach, exec start) for e2e tests that need what the
// docker CLI never sends (attach logs=1, stream=0, detachKeys typed by the test): the 101 head,
// then the stream; `frames()` splits a multiplexed one.
import { connect, type Socket } from 'node:net';

export interface RawHijack {
  socket: Socket;
  /** Status line and headers. */
  head: Promise<string>;
  /** Everything after the head, until the daemon closes the connection. */
  body: Promise<Buffer>;
  /** The body so far. */
  received(): Buffer;
}

export function rawHijack(socketPath: string, method: string, path: string, body?: unknown): RawHijack {
  const socket = connect(socketPath);
  const data = body === undefined ? '' : JSON.stringify(body);
  socket.write(`${method} ${path} HTTP/1.1\r\nHost: berth\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
    (data ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(data)}\r\n` : '') + `\r\n${data}`);
  let buf = Buffer.alloc(0);
  let headEnd = -1;
  let resolveHead!: (h: string) => void;
  const head = new Promise<string>((r) => { resolveHead = r; });
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    if (headEnd < 0 && (headEnd = buf.indexOf('\r\n\r\n')) >= 0) resolveHead(buf.subarray(0, headEnd).toString());
  });
  const bodyDone = new Promise<Buffer>((resolve, reject) => {
    socket.on('close', () => { if (headEnd < 0) resolveHead(buf.toString()); resolve(headEnd < 0 ? Buffer.alloc(0) : buf.subarray(headEnd + 4)); });
    socket.on('error', reject);
  });
  return { socket, head, body: bodyDone, received: () => (headEnd < 0 ? Buffer.alloc(0) : buf.subarray(headEnd + 4)) };
}

/** stdcopy frames → [stream, text] pairs. */
export function frames(b: Buffer): [number, string][] {
  const out: [number, string][] = [];
  for (let i = 0; i + 8 <= b.length;) {
    const n = b.readUInt32BE(i + 4);
    out.push([b[i], b.subarray(i + 8, i + 8 + n).toString()]);
    i += 8 + n;
  }
  return out;
}

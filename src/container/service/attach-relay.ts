// The daemon's one connection to a container monitor's attach socket, fanned out to every
// attach session (docker attach, docker run, start -a). It connects before the exec gate opens,
// so sessions that attached before start miss nothing. Frames from the monitor are stdcopy
// ([stream,0,0,0,len BE32] data); frames to it: 0 stdin, 1 resize (rows, cols BE16), 2 close stdin.
import { connect, type Socket } from 'node:net';

export interface AttachSession {
  stdout: boolean;
  stderr: boolean;
  /** Output for this session (stream 1 = stdout, 2 = stderr). */
  onData(stream: 1 | 2, data: Buffer): void;
  /** The container's output ended (it exited, or the daemon lost the monitor). */
  onEnd(): void;
}

function frame(type: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(data.length, 4);
  return Buffer.concat([h, data]);
}

export class AttachRelay {
  private readonly sessions = new Set<AttachSession>();
  private readonly sock: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;

  private constructor(sock: Socket) {
    this.sock = sock;
    sock.on('data', (d: Buffer) => this.onData(d));
    sock.on('close', () => this.end());
    sock.on('error', () => {});
  }

  static connect(path: string): Promise<AttachRelay> {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      s.once('connect', () => resolve(new AttachRelay(s)));
      s.once('error', reject);
    });
  }

  get closed(): boolean { return this.ended; }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    while (this.buf.length >= 8) {
      const n = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + n) break;
      const stream = this.buf[0] === 2 ? 2 : 1;
      const data = this.buf.subarray(8, 8 + n);
      for (const s of this.sessions) if (stream === 1 ? s.stdout : s.stderr) s.onData(stream, data);
      this.buf = this.buf.subarray(8 + n);
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const s of this.sessions) s.onEnd();
    this.sessions.clear();
  }

  add(s: AttachSession): () => void {
    if (this.ended) { s.onEnd(); return () => {}; }
    this.sessions.add(s);
    return () => this.sessions.delete(s);
  }

  remove(s: AttachSession): void { this.sessions.delete(s); }

  stdin(data: Buffer): void { if (!this.ended && data.length) this.sock.write(frame(0, data)); }
  closeStdin(): void { if (!this.ended) this.sock.write(frame(2, Buffer.alloc(0))); }

  resize(rows: number, cols: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt16BE(rows & 0xffff, 0);
    b.writeUInt16BE(cols & 0xffff, 2);
    if (!this.ended) this.sock.write(frame(1, b));
  }

  close(): void { this.sock.destroy(); }
}

// Request bodies: Docker's ReadJSON rules, a size cap, and the body of an upgrade request
// (node:http hands it over unparsed, in front of the hijacked stream's first bytes).
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { invalidArgument } from '../errors/errors.ts';

export const MAX_JSON_BODY = 32 * 1024 * 1024;

async function readAll(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += (c as Buffer).length;
    if (n > limit) {
      body.destroy();
      throw invalidArgument(`request body too large: more than ${limit} bytes`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** httputils.CheckForJSON + ReadJSON: empty → undefined; other Content-Types and bad JSON → 400. */
export async function readJson<T>(body: Readable, contentType: string | undefined, limit = MAX_JSON_BODY): Promise<T | undefined> {
  const raw = await readAll(body, limit);
  if (raw.length === 0) return undefined;
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (ct !== '' && ct !== 'application/json') {
    throw invalidArgument(`unsupported Content-Type header (${contentType}): must be 'application/json'`);
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') throw invalidArgument('invalid JSON: got EOF while reading request body');
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw invalidArgument(`invalid JSON: ${(err as Error).message}`);
  }
}

/**
 * Takes `length` body bytes from `head` and then the socket; what follows the body is pushed back
 * into the socket for the hijacked stream.
 */
export function readUpgradeBody(socket: Socket, head: Buffer, length: number, limit = 1024 * 1024): Promise<Buffer> {
  if (length > limit) return Promise.reject(invalidArgument(`request body too large: more than ${limit} bytes`));
  if (head.length >= length) {
    if (head.length > length) socket.unshift(head.subarray(length));
    return Promise.resolve(head.subarray(0, length));
  }
  return new Promise((resolve, reject) => {
    const parts = [head];
    let have = head.length;
    const done = (err?: Error) => {
      socket.off('data', onData).off('end', onEnd).off('error', done);
      socket.pause();
      // Back to "no consumer yet", so a later on('data') starts the flow again.
      (socket as { readableFlowing: boolean | null }).readableFlowing = null;
      if (err) reject(err);
    };
    const onEnd = () => done(invalidArgument('unexpected EOF in request body'));
    const onData = (c: Buffer) => {
      parts.push(c);
      have += c.length;
      if (have < length) return;
      done();
      const all = Buffer.concat(parts);
      if (all.length > length) socket.unshift(all.subarray(length));
      resolve(all.subarray(0, length));
    };
    socket.on('data', onData).on('end', onEnd).on('error', done);
  });
}

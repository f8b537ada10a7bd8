// Small pieces of HTTP I/O shared by the handlers: JSON and error responses, bounded bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError, errorBody } from '../protocol/errors.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, { 'Content-Length': 0, ...headers });
  res.end();
}

export function sendError(req: IncomingMessage, res: ServerResponse, err: RegistryError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = errorBody(err);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json' };
  for (const [k, v] of Object.entries(err.headers)) if (v !== '') headers[k] = v;
  headers['Content-Length'] = req.method === 'HEAD' ? 0 : Buffer.byteLength(text);
  res.writeHead(err.status, headers);
  res.end(req.method === 'HEAD' ? undefined : text);
  // A body the client is still sending is not read: close the connection after the reply.
  if (!req.complete) res.once('finish', () => req.destroy());
}

/** Reads a request body of at most `limit` bytes; larger ones are refused without reading on. */
export async function readBody(req: IncomingMessage, limit: number, tooLarge: () => RegistryError): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The request's own origin (`http://host:port`), for Location headers and the token realm. */
export function originOf(req: IncomingMessage, tls: boolean): string {
  return `${tls ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}

export function asRegistryError(err: unknown): RegistryError {
  if (err instanceof RegistryError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET') {
    return new RegistryError('BLOB_UPLOAD_INVALID', 'request body ended early');
  }
  return new RegistryError('UNKNOWN', err instanceof Error ? err.message : String(err));
}

// Reads streams of JSON documents (events, pull/push/load progress, build output, stats): one per
// line as Docker writes them, tolerating documents split across chunks.
import type { Readable } from 'node:stream';
import { BerthError, internal } from '../errors/errors.ts';

export async function* readJsonLines<T = unknown>(src: Readable): AsyncGenerator<T> {
  let buf = '';
  src.setEncoding('utf8');
  for await (const chunk of src) {
    buf += chunk as string;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield parse<T>(line);
    }
  }
  if (buf.trim()) yield parse<T>(buf.trim());
}

function parse<T>(line: string): T {
  try {
    return JSON.parse(line) as T;
  } catch (err) {
    throw internal(`malformed JSON from the daemon: ${line.slice(0, 200)}`, err);
  }
}

/** Docker's jsonmessage: progress streams report failures in-band. */
export interface JsonMessage {
  id?: string;
  status?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  stream?: string;
  aux?: unknown;
  error?: string;
  errorDetail?: { code?: number; message: string };
}

/** Yields progress messages, throwing a BerthError at the first in-band error. */
export async function* readProgress(src: Readable): AsyncGenerator<JsonMessage> {
  for await (const m of readJsonLines<JsonMessage>(src)) {
    if (m.errorDetail || m.error) throw new BerthError('Internal', m.errorDetail?.message ?? m.error ?? 'unknown error');
    yield m;
  }
}

// Calls `onLine` for each '\n'-terminated line a stream carries (and for a last unterminated one
// at its end), as readline's createInterface does for these uses: JSON lines from the native
// helper and its op server. readline itself costs a quarter MiB of RSS and more work per line.
import type { Readable } from 'node:stream';

export function onLines(input: Readable, onLine: (line: string) => void): void {
  let buf = '';
  input.setEncoding('utf8');
  input.on('data', (s: string) => {
    buf += s;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.charCodeAt(nl - 1) === 13 ? buf.slice(0, nl - 1) : buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      onLine(line);
    }
  });
  input.on('end', () => {
    if (buf) onLine(buf);
    buf = '';
  });
  input.on('error', () => {});
  input.resume(); // as readline does: a stream paused by its previous reader flows again
}

// @pure
// Docker's jsonmessage display: in a terminal, one line per layer id redrawn in place with its
// progress bar; otherwise (stdout not a TTY) only status lines, progress updates dropped.

export interface ProgressMessage {
  id?: string; status?: string; progress?: string; progressDetail?: { current?: number; total?: number };
  stream?: string; from?: string; aux?: unknown; error?: string; errorDetail?: { message: string };
}

export class ProgressRenderer {
  readonly #tty: boolean;
  #ids = new Map<string, number>();
  constructor(tty: boolean) { this.#tty = tty; }

  /** The text to write for one message (may be empty). */
  render(m: ProgressMessage): string {
    if (m.aux !== undefined && !m.status && !m.stream) return '';
    const hasProgress = (m.progressDetail?.current ?? 0) > 0 || (m.progressDetail?.total ?? 0) > 0;
    let out = '';
    let diff = 0;
    if (m.id && (m.progressDetail !== undefined || m.progress)) {
      let line = this.#ids.get(m.id);
      if (line === undefined) {
        line = this.#ids.size;
        this.#ids.set(m.id, line);
        if (this.#tty) out += '\n';
      }
      diff = this.#ids.size - line;
      if (this.#tty) out += `\x1b[${diff}A`;
    } else {
      this.#ids = new Map();
    }
    if (this.#tty && !m.stream && m.progressDetail !== undefined) out += '\x1b[2K\r';
    else if (!this.#tty && hasProgress) return out;
    let text = '';
    if (m.id) text += `${m.id}: `;
    if (m.from) text += `(from ${m.from}) `;
    const endl = this.#tty && !m.stream && m.progressDetail !== undefined ? '\r' : '';
    if (m.progressDetail !== undefined && this.#tty && hasProgress) text += `${m.status ?? ''} ${m.progress ?? ''}${endl}`;
    else if (m.stream) text += m.stream;
    else text += `${m.status ?? ''}${endl}\n`;
    out += text;
    if (m.id && this.#tty && diff) out += `\x1b[${diff}B`;
    return out;
  }
}

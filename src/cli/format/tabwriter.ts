// @pure
// Go's text/tabwriter (elastic tabstops) as the docker CLI configures it for tables:
// minwidth 10, tabwidth 1, padding 3, padchar ' ', no flags. Cells are tab-terminated; the
// last cell of a line is not part of any column. Widths count runes, as Go does.

export interface TabwriterOptions { minwidth: number; padding: number }

const DOCKER: TabwriterOptions = { minwidth: 10, padding: 3 };

function width(s: string): number {
  return [...s].length;
}

/** Aligns `text` (lines of tab-separated cells) as Go's tabwriter would on Flush. */
export function tabwrite(text: string, opts: TabwriterOptions = DOCKER): string {
  const endsNl = text.endsWith('\n');
  const lines = (endsNl ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const widths: number[][] = lines.map((cells) => cells.map(() => 0));
  // Go's format(): a column block is a run of consecutive lines having a cell at `col`
  // (that is not the line's last cell); widths are computed per block, recursively.
  const format = (line0: number, line1: number, col: number): void => {
    for (let i = line0; i < line1; i++) {
      if (col >= lines[i].length - 1) continue;
      // block starts at i
      let w = opts.minwidth;
      let j = i;
      for (; j < line1 && col < lines[j].length - 1; j++) {
        const cw = width(lines[j][col]) + opts.padding;
        if (cw > w) w = cw;
      }
      for (let k = i; k < j; k++) widths[k][col] = w;
      format(i, j, col + 1);
      i = j - 1;
    }
  };
  format(0, lines.length, 0);
  const out = lines.map((cells, i) => cells.map((c, k) => (k < cells.length - 1 ? c + ' '.repeat(widths[i][k] - width(c)) : c)).join(''));
  return out.join('\n') + (endsNl ? '\n' : '');
}

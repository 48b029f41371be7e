/**
 * Go's text/tabwriter (flags 0, space padding) as kubectl uses it: cells are tab-terminated, the text
 * after a line's last tab is not part of any column, a column block is a run of consecutive lines that
 * have a cell in that column, and a line without tabs ends every block (Go flushes there).
 * Widths count Unicode code points, as Go counts runes.
 */
export interface TabwriterOptions {
  minwidth: number;
  padding: number;
}

/** kubectl get's table writer (cli-runtime printers.GetNewTabWriter). */
export const tableTabOptions: TabwriterOptions = { minwidth: 6, padding: 3 };
/** kubectl describe's tabbedString writer. */
export const describeTabOptions: TabwriterOptions = { minwidth: 0, padding: 2 };

function runeWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Aligns text as a Go tabwriter would after writing it all and calling Flush. */
export function tabwrite(text: string, opts: TabwriterOptions): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  let out = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const isLast = i === lines.length - 1;
    if (lines[i].length === 1 && !isLast) {
      out += formatBlock(lines.slice(start, i + 1), opts) + '\n';
      start = i + 1;
    }
  }
  out += formatBlock(lines.slice(start), opts);
  return out;
}

/** Formats lines (already split into cells); lines are joined with '\n' and no trailing newline. */
function formatBlock(lines: string[][], opts: TabwriterOptions): string {
  const rendered = lines.map(() => '');
  const widths: number[] = [];
  const emit = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = lines[i];
      let s = '';
      for (let j = 0; j < line.length; j++) {
        s += line[j];
        if (j < widths.length) s += ' '.repeat(Math.max(0, widths[j] - runeWidth(line[j])));
      }
      rendered[i] = s;
    }
  };
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      emit(line0, t);
      line0 = t;
      let width = opts.minwidth;
      for (; t < line1; t++) {
        if (column >= lines[t].length - 1) break;
        width = Math.max(width, runeWidth(lines[t][column]) + opts.padding);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
      t--;
    }
    emit(line0, line1);
  };
  format(0, lines.length);
  return rendered.join('\n');
}

/**
 * kubectl's watch writer (liggitt/tabwriter with RememberWidths): each flush aligns its lines, and a
 * column is never narrower than it was in an earlier flush. For uniform tables (every line has the
 * same cells), as watch output is.
 */
export class RememberingTabwriter {
  private widths: number[] = [];
  constructor(private readonly opts: TabwriterOptions = tableTabOptions) {}

  flush(text: string): string {
    const lines = text.split('\n');
    const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
    const cells = lines.map((l) => l.split('\t'));
    const cols = Math.max(0, ...cells.map((c) => c.length - 1));
    for (let j = 0; j < cols; j++) {
      let w = Math.max(this.opts.minwidth, this.widths[j] ?? 0);
      for (const c of cells) if (j < c.length - 1) w = Math.max(w, runeWidth(c[j]) + this.opts.padding);
      this.widths[j] = w;
    }
    const out = cells.map((c) => c.map((cell, j) => (j < c.length - 1 ? cell + ' '.repeat(Math.max(0, this.widths[j] - runeWidth(cell))) : cell)).join(''));
    return out.join('\n') + (trailing === undefined ? '' : '\n');
  }
}

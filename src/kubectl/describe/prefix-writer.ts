import { tabwrite, describeTabOptions } from '../printers/tabwriter';

/**
 * kubectl describe's PrefixWriter over a tabwriter(minwidth 0, tabwidth 8, padding 2): write(level, text)
 * indents by two spaces per level; flush() ends the current alignment block (as Go's Flush does).
 */
export class PrefixWriter {
  private done = '';
  private pending = '';

  write(level: number, text: string): void {
    this.pending += '  '.repeat(level) + text;
  }

  writeLine(text: string): void {
    this.pending += text + '\n';
  }

  flush(): void {
    this.done += tabwrite(this.pending, describeTabOptions);
    this.pending = '';
  }

  toString(): string {
    this.flush();
    return this.done;
  }
}

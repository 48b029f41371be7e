/**
 * The shell's command-line grammar on top of splitCommandLine's word splitting: unquoted `|` separates
 * pipeline stages; per stage `> FILE`, `>> FILE`, `< FILE`, `2>&1`, `2>/dev/null` and `<<DELIM` / `<<-DELIM`
 * (here-document; a quoted delimiter is unquoted, no expansion happens either way). Throws Error with the
 * shell's message on a syntax error (`syntax error near unexpected token '|'`).
 */
export interface Stage {
  argv: string[];
  /** `< FILE`. */
  input?: string;
  /** `> FILE` / `>> FILE`. */
  output?: { path: string; append: boolean };
  /** `2>&1` (true) or `2>/dev/null` (false). */
  stderrToStdout?: boolean;
  discardStderr?: boolean;
  heredoc?: { delimiter: string; stripTabs: boolean };
}

export function parsePipeline(line: string, split: (s: string) => string[]): Stage[] {
  const stages: Stage[] = [];
  let raw = '';
  let stage: Stage = { argv: [] };
  let i = 0;
  const word = (): string => {
    while (line[i] === ' ' || line[i] === '\t') i++;
    const start = i;
    let q = '';
    for (; i < line.length; i++) {
      const c = line[i];
      if (q) {
        if (c === q) q = '';
        else if (c === '\\' && q === '"') i++;
      } else if (c === "'" || c === '"') q = c;
      else if (c === '\\') i++;
      else if (' \t|<>;&'.includes(c)) break;
    }
    const w = split(line.slice(start, i))[0];
    if (w === undefined) throw new Error(`syntax error near unexpected token \`${line[i] === undefined ? 'newline' : line[i]}'`);
    return w;
  };
  const finish = () => {
    stage.argv = split(raw);
    if (!stage.argv.length && (stages.length || i < line.length)) throw new Error("syntax error near unexpected token `|'");
    stages.push(stage);
  };
  let q = '';
  while (i < line.length) {
    const c = line[i];
    if (q) {
      if (c === q) q = '';
      else if (c === '\\' && q === '"' && i + 1 < line.length) {
        raw += c + line[i + 1];
        i += 2;
        continue;
      }
      raw += c;
      i++;
      continue;
    }
    const atWordStart = raw === '' || /[ \t]$/.test(raw);
    if (c === "'" || c === '"') q = c;
    else if (c === '\\') {
      raw += c + (line[i + 1] ?? '');
      i += 2;
      continue;
    } else if (c === '|') {
      i++;
      finish();
      stage = { argv: [] };
      raw = '';
      continue;
    } else if (c === '2' && atWordStart && line[i + 1] === '>') {
      i += 2;
      if (line[i] === '&' && line[i + 1] === '1') {
        i += 2;
        stage.stderrToStdout = true;
      } else {
        if (line[i] === '>') i++;
        const target = word();
        if (target !== '/dev/null') throw new Error(`${target}: stderr can only go to /dev/null or &1`);
        stage.discardStderr = true;
      }
      continue;
    } else if (c === '>') {
      const append = line[i + 1] === '>';
      i += append ? 2 : 1;
      stage.output = { path: word(), append };
      continue;
    } else if (c === '<' && line[i + 1] === '<') {
      i += 2;
      const stripTabs = line[i] === '-';
      if (stripTabs) i++;
      stage.heredoc = { delimiter: word(), stripTabs };
      continue;
    } else if (c === '<') {
      i++;
      stage.input = word();
      continue;
    }
    raw += c;
    i++;
  }
  finish();
  return stages;
}

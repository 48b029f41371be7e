/**
 * POSIX-shell-like word splitting for one command line: blanks separate words; '…' is literal;
 * "…" keeps \" \\ \$ \` escapes (other backslashes stay); a backslash outside quotes escapes the next
 * character (backslash-newline joins lines); '' and "" give an empty word. An unterminated quote runs
 * to the end of the line. No expansion of any kind ($VAR, globs, ~) is done.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === '\\') {
      if (i + 1 < line.length) {
        const next = line[++i];
        if (next !== '\n') word += next;
      }
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      const stop = end < 0 ? line.length : end;
      word += line.slice(i + 1, stop);
      i = stop;
      continue;
    }
    if (c === '"') {
      for (i++; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1])) {
          i++;
          if (line[i] !== '\n') word += line[i];
        } else word += line[i];
      }
      continue;
    }
    word += c;
  }
  if (inWord) words.push(word);
  return words;
}

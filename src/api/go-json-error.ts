// Go encoding/json's syntax-error texts: kube-apiserver decodes request bodies with it, and its 400 messages
// quote them (the HTTP server for malformed bodies; the PATCH handler for patch text sent by the tab).

/** Go's quoteChar: the offending byte as it appears in "invalid character '…'". */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

const WS = new Set([' ', '\t', '\n', '\r']);

class SyntaxErr extends Error {}

/**
 * Scans text as Go's json scanner does and returns the message for its first syntax error
 * ("invalid character 'b' looking for beginning of object key string", "unexpected end of JSON input"),
 * or undefined when text is valid JSON.
 */
export function goJsonSyntaxError(text: string): string | undefined {
  let i = 0;
  const bad = (ctx: string): never => {
    throw new SyntaxErr(i >= text.length ? 'unexpected end of JSON input' : `invalid character ${quoteChar(text[i])} ${ctx}`);
  };
  const ws = () => {
    while (i < text.length && WS.has(text[i])) i++;
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (text[i] !== word[k]) bad(`in literal ${word} (expecting ${quoteChar(word[k])})`);
    }
    i++;
  };
  const digits = () => {
    if (!/[0-9]/.test(text[i] ?? '')) bad('in numeric literal');
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) bad('');
      const c = text[i];
      if (c === '"') return void i++;
      if (c < ' ') bad('in string literal');
      if (c === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) bad('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '') || i >= text.length) bad('in string escape code');
      }
      i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') bad('looking for beginning of object key string');
        string();
        ws();
        if (text[i] !== ':') bad('after object key');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void i++;
        bad('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void i++;
        bad('after array element');
      }
    }
    if (c === '"') return string();
    if (c === '-' || /[0-9]/.test(c ?? '')) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    bad('looking for beginning of value');
  };
  try {
    value();
    ws();
    if (i < text.length) bad('after top-level value');
    return undefined;
  } catch (err) {
    if (err instanceof SyntaxErr) return err.message;
    throw err;
  }
}

/**
 * Serializes JSON values exactly as kubectl's YAML printer does (sigs.k8s.io/yaml JSONToYAML, i.e.
 * gopkg.in/yaml.v2 over the JSON): map keys in yaml.v2's natural order, sequences not indented under
 * their key, 2-space indentation, "{}"/"[]" for empty collections, and libyaml's scalar styles:
 * plain when unambiguous, '…' when plain is not allowed, "…" when the text would resolve to another
 * type (numbers, bools incl. yes/no/on/off, null, timestamps) or has special characters, | blocks for
 * multi-line text, and folding of long plain/quoted values at the first space past column 80.
 */
const BEST_WIDTH = 80;

/** yaml.v2's keyList.Less: letters by code point, digit runs by numeric value, non-letters first. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

const isBreak = (c: string) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isSpace = (c: string | undefined) => c === ' ';
const isBlankz = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c);

function isPrintable(c: string): boolean {
  const v = c.codePointAt(0) ?? 0;
  return v === 0x0a || (v >= 0x20 && v <= 0x7e) || v === 0x85 || (v >= 0xa0 && v <= 0xd7ff) || (v >= 0xe000 && v <= 0xfffd && v !== 0xfeff) || v >= 0x10000;
}

interface Analysis {
  flowPlain: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

function analyze(value: string): Analysis {
  if (value === '') return { flowPlain: false, blockPlain: true, single: true, block: false };
  const cs = [...value];
  let blockInd = false;
  let flowInd = false;
  if (value.startsWith('---') || value.startsWith('...')) blockInd = flowInd = true;
  let preceded = true;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, prevSpace = false, prevBreak = false;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    const followed = isBlankz(cs[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) flowInd = blockInd = true;
      else if (c === '?' || c === ':') {
        flowInd = true;
        if (followed) blockInd = true;
      } else if (c === '-' && followed) flowInd = blockInd = true;
    } else if (',?[]{}'.includes(c)) flowInd = true;
    else if (c === ':') {
      flowInd = true;
      if (followed) blockInd = true;
    } else if (c === '#' && preceded) flowInd = blockInd = true;
    if (!isPrintable(c) || c === '\ufeff') special = true;
    if (isBreak(c)) lineBreaks = true;
    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === cs.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === cs.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else {
      prevSpace = prevBreak = false;
    }
    preceded = isBlankz(c);
  }
  const a: Analysis = { flowPlain: true, blockPlain: true, single: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlain = a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.flowPlain = a.blockPlain = a.single = false;
  if (spaceBreak || special) a.flowPlain = a.blockPlain = a.single = a.block = false;
  if (lineBreaks) a.flowPlain = a.blockPlain = false;
  if (flowInd) a.flowPlain = false;
  if (blockInd) a.blockPlain = false;
  return a;
}

const timestampRe = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?(?:Z|[+-]\d{2}:\d{2}))|(?: \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?))?$/;
const floatRe = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const intRe = /^[-+]?(0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;
const base60Re = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const mapWords = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<']);

/** yaml.v2 resolve(): would this text, written plain, read back as something other than a string? */
function resolvesToNonString(s: string): boolean {
  const c = s[0];
  const hint = s === '' ? 'N' : '+-'.includes(c) ? 'S' : c >= '0' && c <= '9' ? 'D' : 'yYnNtTfFoO~'.includes(c) ? 'M' : c === '.' ? '.' : '';
  if (!hint) return false;
  if (mapWords.has(s)) return s !== '<<';
  if (hint === '.') return floatRe.test(s);
  if (hint === 'D' || hint === 'S') {
    if (timestampRe.test(s)) return true;
    const plain = s.replace(/_/g, '');
    return intRe.test(plain) || floatRe.test(plain) || /^-?0b[01]+$/.test(plain);
  }
  return false;
}

class Emitter {
  out = '';
  column = 0;
  whitespace = true;

  write(s: string): void {
    for (const ch of s) {
      if (ch === '\n') {
        this.out += '\n';
        this.column = 0;
      } else {
        this.out += ch;
        this.column++;
      }
    }
  }

  indentTo(indent: number): void {
    this.write('\n' + ' '.repeat(indent));
  }

  /** libyaml's write_indent for a new node: a line break unless already at the start of a line. */
  newLine(indent: number): void {
    if (this.column === 0 && (this.out === '' || this.out.endsWith('\n'))) this.write(' '.repeat(indent));
    else this.indentTo(indent);
  }

  /** Writes a scalar string after the current position (a ' ' first unless at whitespace). */
  scalar(value: string, indent: number, key: boolean): void {
    const a = analyze(value);
    let style: 'plain' | 'single' | 'double' | 'literal';
    if (value.includes('\n')) style = 'literal';
    else if (!resolvesToNonString(value) && !base60Re.test(value)) style = 'plain';
    else style = 'double';
    if (style === 'plain' && (!a.blockPlain || (value === '' && key))) style = 'single';
    if (style === 'single' && !a.single) style = 'double';
    if (style === 'literal' && (!a.block || key)) style = 'double';
    const breaks = !key;
    if (!this.whitespace) this.write(' ');
    const cs = [...value];
    if (style === 'plain') {
      let spaces = false;
      for (let i = 0; i < cs.length; i++) {
        if (isSpace(cs[i])) {
          if (breaks && !spaces && this.column > BEST_WIDTH && !isSpace(cs[i + 1])) this.indentTo(indent);
          else this.write(' ');
          spaces = true;
        } else {
          this.write(cs[i]);
          spaces = false;
        }
      }
    } else if (style === 'single') {
      this.write("'");
      let spaces = false;
      for (let i = 0; i < cs.length; i++) {
        if (isSpace(cs[i])) {
          if (breaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cs.length - 1 && !isSpace(cs[i + 1])) this.indentTo(indent);
          else this.write(' ');
          spaces = true;
        } else {
          this.write(cs[i] === "'" ? "''" : cs[i]);
          spaces = false;
        }
      }
      this.write("'");
    } else if (style === 'double') {
      this.write('"');
      let spaces = false;
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i];
        if (!isPrintable(c) || c === '\ufeff' || isBreak(c) || c === '"' || c === '\\') {
          this.write('\\' + escapeChar(c));
          spaces = false;
        } else if (isSpace(c)) {
          if (breaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cs.length - 1) {
            this.indentTo(indent);
            if (isSpace(cs[i + 1])) this.write('\\');
          } else this.write(' ');
          spaces = true;
        } else {
          this.write(c);
          spaces = false;
        }
      }
      this.write('"');
    } else {
      this.write('|');
      if (isSpace(cs[0]) || isBreak(cs[0])) this.write('2');
      const last = cs[cs.length - 1];
      if (!isBreak(last)) this.write('-');
      else if (cs.length === 1 || isBreak(cs[cs.length - 2])) this.write('+');
      let lineStart = true;
      this.write('\n');
      for (const c of cs) {
        if (isBreak(c)) {
          this.write('\n');
          lineStart = true;
        } else {
          if (lineStart) this.write(' '.repeat(indent));
          lineStart = false;
          this.write(c);
        }
      }
    }
    this.whitespace = false;
  }
}

function escapeChar(c: string): string {
  const named: Record<string, string> = { '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\x0b': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e', '"': '"', '\\': '\\', '\u0085': 'N', '\u00a0': '_', '\u2028': 'L', '\u2029': 'P' };
  if (named[c]) return named[c];
  const v = c.codePointAt(0) ?? 0;
  const hex = v.toString(16).toUpperCase();
  if (v <= 0xff) return 'x' + hex.padStart(2, '0');
  if (v <= 0xffff) return 'u' + hex.padStart(4, '0');
  return 'U' + hex.padStart(8, '0');
}

function isEmptyCollection(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : !!v && typeof v === 'object' && Object.keys(v).length === 0;
}

function isCollection(v: unknown): v is object {
  return !!v && typeof v === 'object' && !isEmptyCollection(v);
}

function scalarOrEmpty(e: Emitter, v: unknown, indent: number): void {
  if (v === null || v === undefined) return plainWord(e, 'null');
  if (typeof v === 'boolean') return plainWord(e, String(v));
  if (typeof v === 'number') return plainWord(e, formatNumber(v));
  if (Array.isArray(v)) return plainWord(e, '[]');
  if (typeof v === 'object') return plainWord(e, '{}');
  e.scalar(String(v), indent, false);
}

function plainWord(e: Emitter, w: string): void {
  if (!e.whitespace) e.write(' ');
  e.write(w);
  e.whitespace = false;
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64) as yaml.v2 writes floats; integers as decimal. */
function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  const s = String(n);
  const exp = Math.abs(n) < 1e-4 || Math.abs(n) >= 1e21;
  if (!exp) return s;
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(n.toExponential());
  if (!m) return s;
  return `${m[1]}e${m[2]}${m[3].padStart(2, '0')}`;
}

function emitMapping(e: Emitter, obj: Record<string, unknown>, indent: number, first: boolean): void {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
  keys.forEach((k, i) => {
    if (!(first && i === 0)) {
      e.newLine(indent);
      e.whitespace = true;
    }
    e.scalar(k, indent + 2, true);
    e.write(':');
    e.whitespace = false;
    emitValue(e, obj[k], indent, true);
  });
}

function emitSequence(e: Emitter, arr: unknown[], indent: number, first: boolean): void {
  arr.forEach((item, i) => {
    if (!(first && i === 0)) e.newLine(indent);
    else if (!e.whitespace) e.write(' ');
    e.write('-');
    e.whitespace = false;
    emitValue(e, item, indent, false);
  });
}

/** Emits v as the value of a mapping key (inMapping) or a sequence item whose indicator sits at indent. */
function emitValue(e: Emitter, v: unknown, indent: number, inMapping: boolean): void {
  if (!isCollection(v)) return scalarOrEmpty(e, v, indent + 2);
  if (Array.isArray(v)) {
    if (inMapping) emitSequence(e, v, indent, false);
    else {
      e.write(' ');
      e.whitespace = true;
      emitSequence(e, v, indent + 2, true);
    }
    return;
  }
  if (inMapping) emitMapping(e, v as Record<string, unknown>, indent + 2, false);
  else {
    e.write(' ');
    e.whitespace = true;
    emitMapping(e, v as Record<string, unknown>, indent + 2, true);
  }
}

/** The YAML document kubectl prints for a JSON value (ends with a newline). */
export function toGoYaml(value: unknown): string {
  const e = new Emitter();
  if (isCollection(value)) {
    e.whitespace = true;
    if (Array.isArray(value)) emitSequence(e, value, 0, true);
    else emitMapping(e, value as Record<string, unknown>, 0, true);
  } else scalarOrEmpty(e, value, 0);
  return e.out + '\n';
}

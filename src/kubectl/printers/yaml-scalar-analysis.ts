/**
 * yaml.v2 / libyaml scalar analysis for kubectl's YAML printer: map key order (keyList.Less), which
 * scalar styles a string allows, and whether plain text would resolve to a non-string.
 */

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

export const isBreak = (c: string) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
export const isSpace = (c: string | undefined) => c === ' ';
export const isBlankz = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c);

export function isPrintable(c: string): boolean {
  const v = c.codePointAt(0) ?? 0;
  return v === 0x0a || (v >= 0x20 && v <= 0x7e) || v === 0x85 || (v >= 0xa0 && v <= 0xd7ff) || (v >= 0xe000 && v <= 0xfffd && v !== 0xfeff) || v >= 0x10000;
}

export interface Analysis {
  flowPlain: boolean;
  blockPlain: boolean;
  single: boolean;
  block: boolean;
}

export function analyze(value: string): Analysis {
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
export const base60Re = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const mapWords = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<']);

/** yaml.v2 resolve(): would this text, written plain, read back as something other than a string? */
export function resolvesToNonString(s: string): boolean {
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

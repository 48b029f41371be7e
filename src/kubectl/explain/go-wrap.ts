/**
 * sprig's `wrap` and `indent`, which kubectl's explain template pipes every description through:
 * each line is word-wrapped at `width` columns (goutils.WrapCustom without long-word wrapping: a word
 * longer than the width stays whole; leading spaces of a wrapped line are dropped).
 */
export function goWrap(str: string, width: number): string {
  return str.split('\n').map((line) => wrapLine(line, width)).join('\n');
}

function wrapLine(str: string, width: number): string {
  if (str === '') return '';
  const w = Math.max(1, width);
  let out = '';
  let offset = 0;
  while (str.length - offset > w) {
    if (str[offset] === ' ') {
      offset++;
      continue;
    }
    const space = str.slice(offset, offset + w + 1).lastIndexOf(' ');
    if (space >= 0) {
      out += str.slice(offset, offset + space) + '\n';
      offset += space + 1;
      continue;
    }
    const next = str.indexOf(' ', offset + w);
    if (next < 0) {
      out += str.slice(offset);
      offset = str.length;
    } else {
      out += str.slice(offset, next) + '\n';
      offset = next + 1;
    }
  }
  return out + str.slice(offset);
}

export function goIndent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return pad + text.split('\n').join('\n' + pad);
}

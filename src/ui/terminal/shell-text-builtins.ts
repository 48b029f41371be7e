import { resolveWorkspacePath } from '../../workspace';
import type { Builtin, BuiltinIO } from './shell-builtins';

/**
 * grep, head, tail and wc over stdin (a pipe) or workspace files, with GNU coreutils' output shapes and exit
 * codes: grep exits 1 when nothing matched and 2 on a bad pattern or missing file; a missing file elsewhere is
 * reported and exits 1.
 */
interface Input {
  name: string;
  text: string;
}

/** The named files (or stdin when none / `-`); unreadable ones are reported as `cmd: f: No such file…`. */
function inputs(cmd: string, names: string[], io: BuiltinIO): { list: Input[]; missing: boolean } {
  if (!names.length) return { list: [{ name: '(standard input)', text: io.stdin ?? '' }], missing: false };
  const list: Input[] = [];
  let missing = false;
  for (const name of names) {
    const text = name === '-' ? (io.stdin ?? '') : io.fs?.readText(resolveWorkspacePath(io.cwd, name));
    if (text === undefined) {
      io.err(`${cmd}: ${name}: ${io.fs?.isDir(resolveWorkspacePath(io.cwd, name)) ? 'Is a directory' : 'No such file or directory'}\n`);
      missing = true;
    } else list.push({ name: name === '-' ? '(standard input)' : name, text });
  }
  return { list, missing };
}

const linesOf = (text: string) => {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
};

/** `-n N`, `-nN`, `-N` and `--lines=N`; returns the count text and the operands. */
function countOption(args: string[]): { count?: string; rest: string[]; bad?: string } {
  const rest: string[] = [];
  let count: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-n') count = args[++i];
    else if (/^-n.+/.test(a)) count = a.slice(2);
    else if (a.startsWith('--lines=')) count = a.slice(8);
    else if (/^-\d+$/.test(a)) count = a.slice(1);
    else if (/^-./.test(a)) return { rest, bad: a };
    else rest.push(a);
  }
  return { count, rest };
}

function headTail(cmd: 'head' | 'tail'): Builtin {
  return (io) => {
    const { count = '10', rest, bad } = countOption(io.args);
    if (bad) return io.err(`${cmd}: invalid option -- '${bad.slice(1)}'\n`), 1;
    if (!/^[+-]?\d+$/.test(count)) return io.err(`${cmd}: invalid number of lines: '${count}'\n`), 1;
    const { list, missing } = inputs(cmd, rest, io);
    list.forEach((input, idx) => {
      if (list.length > 1) io.out(`${idx ? '\n' : ''}==> ${input.name} <==\n`);
      const lines = linesOf(input.text);
      const n = Number(count);
      let picked: string[];
      if (cmd === 'head') picked = count.startsWith('-') ? lines.slice(0, Math.max(0, lines.length + n)) : lines.slice(0, n);
      else picked = count.startsWith('+') ? lines.slice(Math.max(0, n - 1)) : lines.slice(Math.max(0, lines.length - Math.abs(n)));
      io.out(picked.map((l) => l + '\n').join(''));
    });
    return missing ? 1 : 0;
  };
}

const grep: Builtin = (io) => {
  const opts = new Set<string>();
  const operands: string[] = [];
  let pattern: string | undefined;
  for (let i = 0; i < io.args.length; i++) {
    const a = io.args[i];
    if (a === '-e') pattern = io.args[++i];
    else if (/^-[ivcnEFwqlh]+$/.test(a)) for (const ch of a.slice(1)) opts.add(ch);
    else if (/^-./.test(a)) return io.err(`grep: invalid option -- '${a[1]}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\n`), 2;
    else if (pattern === undefined) pattern = a;
    else operands.push(a);
  }
  if (pattern === undefined) return io.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"), 2;
  let source = opts.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : opts.has('E') ? pattern : pattern.replace(/\\([|+?(){}])/g, '$1');
  if (opts.has('w')) source = `\\b(?:${source})\\b`;
  let re: RegExp;
  try {
    re = new RegExp(source, opts.has('i') ? 'i' : '');
  } catch {
    return io.err('grep: Invalid regular expression\n'), 2;
  }
  const { list, missing } = inputs('grep', operands, io);
  const prefixName = list.length > 1 && !opts.has('h');
  let matched = false;
  for (const input of list) {
    const hits = linesOf(input.text)
      .map((line, idx) => ({ line, idx }))
      .filter(({ line }) => re.test(line) !== opts.has('v'));
    if (hits.length) matched = true;
    if (opts.has('q')) continue;
    const prefix = prefixName ? `${input.name}:` : '';
    if (opts.has('l')) hits.length && io.out(input.name + '\n');
    else if (opts.has('c')) io.out(`${prefix}${hits.length}\n`);
    else for (const h of hits) io.out(`${prefix}${opts.has('n') ? `${h.idx + 1}:` : ''}${h.line}\n`);
  }
  return missing ? 2 : matched ? 0 : 1;
};

const wc: Builtin = (io) => {
  const opts = new Set<string>();
  const names: string[] = [];
  for (const a of io.args) {
    if (/^-[lwcm]+$/.test(a)) for (const ch of a.slice(1)) opts.add(ch === 'm' ? 'c' : ch);
    else if (/^-./.test(a)) return io.err(`wc: invalid option -- '${a[1]}'\n`), 1;
    else names.push(a);
  }
  const shown = (['l', 'w', 'c'] as const).filter((k) => !opts.size || opts.has(k));
  const { list, missing } = inputs('wc', names, io);
  const counts = list.map((input) => ({
    name: names.length ? input.name : '',
    l: (input.text.match(/\n/g) ?? []).length,
    w: input.text.split(/\s+/).filter(Boolean).length,
    c: new TextEncoder().encode(input.text).length,
  }));
  if (counts.length > 1) counts.push({ name: 'total', ...(['l', 'w', 'c'] as const).reduce((t, k) => ({ ...t, [k]: counts.reduce((s, x) => s + x[k], 0) }), { l: 0, w: 0, c: 0 }) });
  // GNU wc: one column alone is unpadded for stdin; otherwise columns share the widest count's width (7 on stdin).
  const width = shown.length === 1 && !names.length ? 1 : Math.max(names.length ? 1 : 7, ...counts.flatMap((x) => shown.map((k) => String(x[k]).length)));
  for (const x of counts) io.out(shown.map((k) => String(x[k]).padStart(width)).join(' ') + (x.name ? ` ${x.name}` : '') + '\n');
  return missing ? 1 : 0;
};

export const TEXT_BUILTINS: Record<string, Builtin> = { grep, head: headTail('head'), tail: headTail('tail'), wc };

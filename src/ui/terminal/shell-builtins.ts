import type { Workspace } from '../../workspace';
import { resolveWorkspacePath } from '../../workspace';

/** What a built-in gets: its arguments, stdin (a pipe or here-document), output, and the shell's folder. */
export interface BuiltinIO {
  args: string[];
  stdin?: string;
  out(s: string): void;
  err(s: string): void;
  cwd: string;
  setCwd(dir: string): void;
  fs?: Workspace;
  lastExitCode: number;
}

export type Builtin = (io: BuiltinIO) => Promise<number> | number;

const reasonOf = (e: unknown) => (e instanceof Error ? e.message.replace(/^.*: /, '') : String(e));

/** Splits leading single-letter flags (`-rf` → r,f) from operands; `--` ends flags. */
function flags(args: string[]): { set: Set<string>; rest: string[] } {
  const set = new Set<string>();
  let i = 0;
  for (; i < args.length && /^-[A-Za-z]+$/.test(args[i]); i++) for (const ch of args[i].slice(1)) set.add(ch);
  if (args[i] === '--') i++;
  return { set, rest: args.slice(i) };
}

const noWorkspace = (name: string, io: BuiltinIO) => {
  io.err(`${name}: the workspace is not available\n`);
  return 1;
};

/** ls, cat, rm, mkdir, pwd, cd, echo, touch over the workspace, with coreutils' messages. */
export const BUILTINS: Record<string, Builtin> = {
  echo(io) {
    const noNewline = io.args[0] === '-n';
    const text = (noNewline ? io.args.slice(1) : io.args).join(' ');
    io.out(noNewline ? text : text + '\n');
    return 0;
  },
  pwd(io) {
    io.out('/' + io.cwd + '\n');
    return 0;
  },
  cd(io) {
    const target = resolveWorkspacePath(io.cwd, io.args[0] ?? '/');
    if (!io.fs) return noWorkspace('cd', io);
    if (!io.fs.exists(target)) return io.err(`cd: ${io.args[0]}: No such file or directory\n`), 1;
    if (!io.fs.isDir(target)) return io.err(`cd: ${io.args[0]}: Not a directory\n`), 1;
    io.setCwd(target);
    return 0;
  },
  ls(io) {
    const fs = io.fs;
    if (!fs) return noWorkspace('ls', io);
    const { set, rest } = flags(io.args);
    const names = rest.length ? rest : ['.'];
    let code = 0;
    const blocks: string[] = [];
    for (const name of names) {
      const path = resolveWorkspacePath(io.cwd, name);
      const entries = fs.list(path);
      if (entries) {
        const lines = set.has('l') ? entries.map((e) => `${e.dir ? 'drwxr-xr-x' : '-rw-r--r--'} ${String(e.size).padStart(8)} ${e.name}${e.dir ? '/' : ''}`) : entries.map((e) => (e.dir ? e.name + '/' : e.name));
        blocks.push((names.length > 1 ? `${name}:\n` : '') + lines.map((l) => l + '\n').join(''));
      } else if (fs.exists(path)) blocks.push(name + '\n');
      else {
        io.err(`ls: cannot access '${name}': No such file or directory\n`);
        code = 2;
      }
    }
    io.out(blocks.join('\n'));
    return code;
  },
  cat(io) {
    if (!io.args.length) {
      io.out(io.stdin ?? '');
      return 0;
    }
    let code = 0;
    for (const name of io.args) {
      if (name === '-') {
        io.out(io.stdin ?? '');
        continue;
      }
      const path = resolveWorkspacePath(io.cwd, name);
      const text = io.fs?.readText(path);
      if (text !== undefined) io.out(text);
      else {
        io.err(`cat: ${name}: ${io.fs?.isDir(path) ? 'Is a directory' : 'No such file or directory'}\n`);
        code = 1;
      }
    }
    return code;
  },
  async rm(io) {
    const fs = io.fs;
    if (!fs) return noWorkspace('rm', io);
    const { set, rest } = flags(io.args);
    if (!rest.length) return io.err('rm: missing operand\n'), 1;
    let code = 0;
    for (const name of rest) {
      const path = resolveWorkspacePath(io.cwd, name);
      if (!fs.exists(path)) {
        if (!set.has('f')) io.err(`rm: cannot remove '${name}': No such file or directory\n`), (code = 1);
        continue;
      }
      if (fs.isDir(path) && !set.has('r') && !set.has('R')) {
        io.err(`rm: cannot remove '${name}': Is a directory\n`);
        code = 1;
        continue;
      }
      try {
        await fs.remove(path, { recursive: true });
      } catch (e) {
        io.err(`rm: cannot remove '${name}': ${reasonOf(e)}\n`);
        code = 1;
      }
    }
    return code;
  },
  async mkdir(io) {
    const fs = io.fs;
    if (!fs) return noWorkspace('mkdir', io);
    const { set, rest } = flags(io.args);
    if (!rest.length) return io.err('mkdir: missing operand\n'), 1;
    let code = 0;
    for (const name of rest) {
      try {
        await fs.mkdir(resolveWorkspacePath(io.cwd, name), { parents: set.has('p') });
      } catch (e) {
        io.err(`mkdir: cannot create directory '${name}': ${reasonOf(e)}\n`);
        code = 1;
      }
    }
    return code;
  },
  async touch(io) {
    const fs = io.fs;
    if (!fs) return noWorkspace('touch', io);
    let code = 0;
    for (const name of io.args) {
      const path = resolveWorkspacePath(io.cwd, name);
      if (fs.exists(path)) continue;
      try {
        await fs.write(path, '');
      } catch (e) {
        io.err(`touch: cannot touch '${name}': ${reasonOf(e)}\n`);
        code = 1;
      }
    }
    return code;
  },
};

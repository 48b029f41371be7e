import { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { RawError, SilentExit } from '../cli/errors';
import type { FlagSpec, ParsedFlags } from '../cli/parse-flags';
import { runExec } from '../exec';
import { joinPath } from '../kustomize/kustomize-fs';
import { readTar, writeTar, type TarEntry } from './cp-tar';

export const cpFlags: FlagSpec[] = [
  { name: 'container', short: 'c', type: 'string' },
  { name: 'no-preserve', type: 'bool' },
  { name: 'retries', type: 'int' },
];

interface FileSpec {
  pod: string;
  namespace: string;
  file: string;
}

const FORMAT = 'error: filespec must match the canonical format: [[namespace/]pod:]file/path';
const stripTrailingSlash = (f: string) => (f && f !== '/' && f.endsWith('/') ? f.slice(0, -1) : f);
const clean = (p: string) => (p === '' ? '.' : joinPath(p.startsWith('/') ? '/' : '.', p));
const dir = (p: string) => {
  const c = clean(p);
  const i = c.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : c.slice(0, i);
};
const base = (p: string) => {
  const c = stripTrailingSlash(p);
  return c === '' ? '.' : c === '/' ? '/' : c.slice(c.lastIndexOf('/') + 1);
};
const join = (a: string, b: string) => clean(b ? `${a}/${b}` : a);

/** kubectl's stripPathShortcuts: leading "../" removed, "." and ".." become "", then one leading '/' dropped. */
function stripPathShortcuts(p: string): string {
  let s = p;
  while (s.startsWith('../')) s = s.slice(3);
  if (s === '.' || s === '..') s = '';
  return s.startsWith('/') ? s.slice(1) : s;
}

function fileSpec(arg: string): FileSpec {
  const i = arg.indexOf(':');
  if (i === 0) throw new RawError(FORMAT);
  if (i < 0) return { pod: '', namespace: '', file: stripTrailingSlash(arg) };
  const pieces = arg.slice(0, i).split('/');
  if (pieces.length > 2) throw new RawError(FORMAT);
  return { pod: pieces[pieces.length - 1], namespace: pieces.length === 2 ? pieces[0] : '', file: stripTrailingSlash(arg.slice(i + 1)) };
}

/**
 * Runs `command` in the pod through kubectl exec's own code (pod lookup, container defaulting, exit codes):
 * resolves with the exit code; API errors reject as exec's would. The process's stderr goes to io.err, but
 * "command terminated with exit code N" to kubectl's stderr (kubectl's CheckErr), or nowhere when quiet.
 */
async function execIn(ctx: CommandContext, spec: FileSpec, command: string[], io: { stdin?: Uint8Array; out(s: string): void; outBytes?(b: Uint8Array): void; err(s: string): void; quiet?: boolean }): Promise<number> {
  const values = new Map(ctx.flags.values);
  values.set('namespace', spec.namespace || ctx.namespace);
  values.set('stdin', io.stdin !== undefined);
  values.set('quiet', false);
  const flags: ParsedFlags = { args: [spec.pod, ...command], argsLenAtDash: 1, values, set: new Set(ctx.flags.set) };
  const exitNotice = /^command terminated with exit code \d+\n$/;
  const sub = new CommandContext(
    { ...ctx.io, stdin: undefined, stdinBytes: io.stdin, stdinStream: undefined, stdout: io.out, stdoutBytes: io.outBytes, stderr: (s) => (!exitNotice.test(s) ? io.err(s) : io.quiet ? undefined : ctx.err(s)) },
    flags,
    'kubectl exec',
  );
  try {
    return await runExec(sub);
  } catch (e) {
    if (e instanceof SilentExit) return e.code;
    throw e;
  }
}

const goQuote = (s: string) => JSON.stringify(s);
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) (out.set(p, off), (off += p.length));
  return out;
}
/** Go's *PathError text for a failed local write. */
const pathError = (op: string, path: string, e: unknown) => new RawError(`error: ${op} ${path}: ${(e instanceof Error ? e.message : String(e)).toLowerCase()}`);

async function copyFromPod(ctx: CommandContext, src: FileSpec, dest: string): Promise<number> {
  const io = ctx.io;
  if (!io.writeFile || !io.mkdir) throw new RawError('error: kubectl cp from a pod needs a local filesystem');
  const parts: Uint8Array[] = [];
  // As kubectl: the remote tar's stderr goes to kubectl's stdout.
  // The exit code is not checked: kubectl reads the archive to EOF and finishes before its exec goroutine
  // reports, so a missing remote file prints tar's message and still exits 0.
  await execIn(ctx, src, ['tar', 'cf', '-', src.file], { out: () => undefined, outBytes: (b) => parts.push(b), err: (s) => ctx.out(s), quiet: true });
  const prefix = stripPathShortcuts(clean(src.file.replace(/^[/\\]+/, '')));
  const destRoot = clean(dest);
  let symlinkWarned = false;
  for (const h of readTar(concat(parts))) {
    if (!h.name.startsWith(prefix)) throw new RawError('error: tar contents corrupted');
    const target = join(destRoot, stripTrailingSlash(h.name.slice(prefix.length)));
    const rel = target === destRoot ? '.' : destRoot === '.' ? target : target.startsWith(destRoot + '/') ? target.slice(destRoot.length + 1) : '..';
    if (rel !== '.' && rel !== stripPathShortcuts(rel)) {
      ctx.err(`warning: file ${goQuote(target)} is outside target destination, skipping\n`);
      continue;
    }
    try {
      await io.mkdir(h.type === '5' ? target : dir(target));
    } catch (e) {
      throw pathError('mkdir', h.type === '5' ? target : dir(target), e);
    }
    if (h.type === '5') continue;
    if (h.type === '2') {
      if (!symlinkWarned) {
        ctx.err(`warning: skipping symlink: ${goQuote(target)} -> ${goQuote(h.linkname)} (consider using "kubectl exec -n ${goQuote(src.namespace || ctx.namespace)} ${goQuote(src.pod)} -- tar cf - ${goQuote(src.file)} | tar xf -")\n`);
        symlinkWarned = true;
      } else ctx.err(`warning: skipping symlink: ${goQuote(target)} -> ${goQuote(h.linkname)}\n`);
      continue;
    }
    try {
      await io.writeFile(target, h.data);
    } catch (e) {
      throw pathError('open', target, e);
    }
  }
  return 0;
}

/** The archive kubectl's makeTar builds: src (a file, or a folder walked in name order) stored under destName. */
async function localTar(ctx: CommandContext, src: string, destName: string, out: TarEntry[]): Promise<void> {
  const mtime = Math.floor(ctx.io.clock.now() / 1000);
  const entries = await ctx.io.listDir?.(src);
  if (entries) {
    if (!entries.length) out.push({ name: destName, type: '5', mode: 0o755, mtime, data: new Uint8Array(), linkname: '' });
    for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) await localTar(ctx, `${src}/${e.name}`, `${destName}/${e.name}`, out);
    return;
  }
  const data = await ctx.io.readFileBytes?.(src);
  if (!data) return;
  out.push({ name: destName, type: '0', mode: 0o644, mtime, data, linkname: '' });
}

async function copyToPod(ctx: CommandContext, src: string, dest: FileSpec): Promise<number> {
  const io = ctx.io;
  const exists = (await io.listDir?.(src)) !== undefined || (await io.readFileBytes?.(src)) !== undefined;
  if (!exists) throw new RawError(`error: ${src} doesn't exist in local filesystem`);
  let destFile = dest.file;
  const discard = () => undefined;
  if ((await execIn(ctx, dest, ['test', '-d', dest.file], { out: discard, err: discard, quiet: true }).catch(() => 1)) === 0) destFile = join(destFile, base(src)).replace(/^\.\//, '');
  const entries: TarEntry[] = [];
  await localTar(ctx, clean(src), base(clean(destFile)), entries);
  const archive = writeTar(entries);
  const command = ctx.bool('no-preserve') ? ['tar', '--no-same-permissions', '--no-same-owner', '-xmf', '-'] : ['tar', '-xmf', '-'];
  const destDir = dir(destFile);
  if (destDir) command.push('-C', destDir);
  const code = await execIn(ctx, dest, command, { stdin: archive, out: (s) => ctx.out(s), err: (s) => ctx.err(s) });
  if (code !== 0) throw new SilentExit(code);
  return 0;
}

/** kubectl cp <file-spec-src> <file-spec-dest>: over exec of the container's tar, as kubectl 1.32 (binary-safe both ways). */
export async function runCp(ctx: CommandContext): Promise<number> {
  if (ctx.args.length !== 2) throw new RawError('error: source and destination are required');
  const src = fileSpec(ctx.args[0]);
  const dest = fileSpec(ctx.args[1]);
  if (src.pod && dest.pod) throw new RawError('error: one of src or dest must be a local file specification');
  if (!src.file || !dest.file) throw new RawError('error: filepath can not be empty');
  if (src.pod) return copyFromPod(ctx, src, dest.file);
  if (dest.pod) return copyToPod(ctx, src.file, dest);
  throw new RawError('error: one of src or dest must be a remote file specification');
}

export const cpCommand: CommandDef = {
  name: 'cp',
  short: 'Copy files and directories to and from containers',
  usage: 'kubectl cp <file-spec-src> <file-spec-dest> [options]',
  flags: cpFlags,
  run: runCp,
};

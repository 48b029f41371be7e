import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { splitCommandLine } from '../../kubectl';
import { openWorkspace } from '../../workspace';
import { Shell } from './shell';
import { parsePipeline } from './shell-parse';

let n = 0;
async function shell() {
  const ws = await openWorkspace({ name: `shell-test-${++n}` });
  let out = '';
  const calls: { argv: string[]; stdin?: string; cwd: string }[] = [];
  const sh = new Shell({
    splitCommandLine,
    write: (t) => (out += t),
    clear: () => undefined,
    workspace: ws,
    kubectl: async (argv, io) => {
      calls.push({ argv, stdin: io.stdin, cwd: io.cwd });
      io.stdout(`kubectl ${argv.join(' ')}\n`);
      if (argv[0] === 'fail') io.stderr('error: boom\n');
      return argv[0] === 'fail' ? 1 : 0;
    },
  });
  const run = async (...lines: string[]) => {
    out = '';
    for (const l of lines) await sh.run(l);
    return out;
  };
  return { sh, ws, run, calls };
}

describe('shell grammar', () => {
  it('splits stages and redirections outside quotes only', () => {
    const p = parsePipeline(`echo 'a | b' "> c" | kubectl apply -f - > out.txt 2>&1`, splitCommandLine);
    expect(p).toEqual([{ argv: ['echo', 'a | b', '> c'] }, { argv: ['kubectl', 'apply', '-f', '-'], output: { path: 'out.txt', append: false }, stderrToStdout: true }]);
    expect(parsePipeline(`cat <<'EOF' >> x.yaml`, splitCommandLine)).toEqual([{ argv: ['cat'], heredoc: { delimiter: 'EOF', stripTabs: false }, output: { path: 'x.yaml', append: true } }]);
    expect(() => parsePipeline('| x', splitCommandLine)).toThrow("syntax error near unexpected token `|'");
    expect(() => parsePipeline('echo >', splitCommandLine)).toThrow("syntax error near unexpected token `newline'");
  });
});

describe('shell', () => {
  it('writes files with echo > and >>, lists, cats and removes them', async () => {
    const { run, ws } = await shell();
    await run('mkdir web', 'echo "kind: Pod" > web/p.yaml', 'echo more >> web/p.yaml');
    expect(ws.readText('web/p.yaml')).toBe('kind: Pod\nmore\n');
    expect(await run('ls')).toBe('web/\n');
    expect(await run('ls web nope')).toBe("ls: cannot access 'nope': No such file or directory\nweb:\np.yaml\n");
    expect(await run('cat web/p.yaml')).toBe('kind: Pod\nmore\n');
    expect(await run('rm web')).toBe("rm: cannot remove 'web': Is a directory\n");
    expect(await run('rm -r web', 'ls')).toBe('');
    expect(await run('cat web/p.yaml')).toBe('cat: web/p.yaml: No such file or directory\n');
    expect(await run('mkdir a/b')).toBe("mkdir: cannot create directory 'a/b': No such file or directory\n");
  });

  it('cd and pwd move through folders; relative paths follow', async () => {
    const { run, sh, calls } = await shell();
    await run('mkdir -p a/b', 'cd a/b', 'echo hi > f.txt', 'kubectl apply -f f.txt');
    expect(await run('pwd')).toBe('/a/b\n');
    expect(await run('cat /a/b/f.txt', 'cd ..', 'ls')).toBe('hi\nb/\n');
    expect(calls[0].cwd).toBe('a/b');
    expect(await run('cd nope')).toBe('cd: nope: No such file or directory\n');
    expect(sh.lastExitCode).toBe(1);
    expect(await run('cd', 'pwd')).toBe('/\n');
  });

  it('reads a pasted here-document into a file and into kubectl', async () => {
    const { run, sh, ws, calls } = await shell();
    await sh.run('cat <<EOF > svc.yaml');
    expect(sh.continuation).toBe(true);
    await run('kind: Service', '  name: "$x"', 'EOF');
    expect(sh.continuation).toBe(false);
    expect(ws.readText('svc.yaml')).toBe('kind: Service\n  name: "$x"\n');
    await run('kubectl apply -f - <<-END', '\tkind: Pod', '\tEND');
    expect(calls[0]).toEqual({ argv: ['apply', '-f', '-'], stdin: 'kind: Pod\n', cwd: '' });
    sh.run('cat <<EOF');
    sh.interrupt();
    expect(sh.continuation).toBe(false);
  });

  it('pipes into kubectl apply -f - and captures kubectl output', async () => {
    const { run, calls, ws } = await shell();
    await ws.write('p.yaml', 'kind: Pod\n');
    expect(await run('cat p.yaml | kubectl apply -f -')).toBe('kubectl apply -f -\n');
    expect(calls[0].stdin).toBe('kind: Pod\n');
    await run('k get pods > out.txt', 'k fail > err.txt 2>&1', 'k fail 2>/dev/null');
    expect(ws.readText('out.txt')).toBe('kubectl get pods\n');
    expect(ws.readText('err.txt')).toBe('kubectl fail\nerror: boom\n');
    expect(await run('kubectl apply -f - < p.yaml')).toBe('kubectl apply -f -\n');
    expect(calls.at(-1)!.stdin).toBe('kind: Pod\n');
  });

  it('reports unknown commands and keeps $?', async () => {
    const { run } = await shell();
    expect(await run('nope', 'echo $?')).toBe('tsh: command not found: nope\n127\n');
    expect(await run('cat < missing')).toBe('tsh: missing: No such file or directory\n');
  });
});

import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { ApiClient } from '../../client/api-client';
import { runKubectl, splitCommandLine } from '../../kubectl';
import { createMemoryStore } from '../../storage';
import { createApiServer } from '../../workers/apiserver';
import { openWorkspace } from '../../workspace';
import { Shell } from './shell';
import { splitList } from './shell-expand';
import { parsePipeline } from './shell-parse';

let n = 0;
async function shell(pods = ['hello-1', 'hello-2']) {
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
      if (argv.join(' ') === `get pods -o go-template --template {{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}`) {
        io.stdout(pods.map((p) => p + '\n').join(''));
        return 0;
      }
      if (argv.join(' ') === 'get po') {
        io.stdout('NAME      READY   STATUS    RESTARTS   AGE\n' + pods.map((p) => `${p}   1/1     Running   0          5s\n`).join(''));
        return 0;
      }
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

describe('shell lists, variables and substitution', () => {
  it('splits lists at &&, || and ; outside quotes and $(…)', () => {
    expect(splitList(`a && b || c; d 'x;y' "&&" $(e; f) 2>&1`)).toEqual([
      { op: ';', text: 'a ' },
      { op: '&&', text: ' b ' },
      { op: '||', text: ' c' },
      { op: ';', text: ` d 'x;y' "&&" $(e; f) 2>&1` },
    ]);
    expect(() => splitList('&& a')).toThrow("syntax error near unexpected token `&&'");
    expect(() => splitList('a &&')).toThrow("syntax error near unexpected token `newline'");
  });

  it('runs && and || by exit code and keeps $? of the last run command', async () => {
    const { run, sh } = await shell();
    expect(await run('k fail && echo yes || echo no; echo $?')).toBe('kubectl fail\nerror: boom\nno\n0\n');
    expect(await run('true_ && echo x')).toBe('tsh: command not found: true_\n');
    expect(sh.lastExitCode).toBe(127);
    expect(await run('echo a; echo b && echo c')).toBe('a\nb\nc\n');
    expect(await run('echo a ;; echo b')).toBe("tsh: syntax error near unexpected token `;'\n");
  });

  it('expands $VAR and ${VAR} from export and plain assignments, not inside single quotes', async () => {
    const { run, sh, calls } = await shell();
    expect(await run('export NS=kube-system', 'APP="my app"', 'echo $NS ${NS}x "$APP" \'$NS\' $UNSET.')).toBe("kube-system kube-systemx my app $NS .\n");
    await run('kubectl get pods -n $NS -l app=$APP');
    expect(calls.at(-1)!.argv).toEqual(['get', 'pods', '-n', 'kube-system', '-l', 'app=my', 'app']);
    await run('kubectl get pods -l "app=$APP"');
    expect(calls.at(-1)!.argv).toEqual(['get', 'pods', '-l', 'app=my app']);
    expect(await run('export', 'unset NS', 'env')).toBe('declare -x APP="my app"\ndeclare -x NS="kube-system"\nAPP=my app\n');
    expect(await run('export 1x=2')).toBe("tsh: export: `1x=2': not a valid identifier\n");
    expect(sh.vars.has('1x')).toBe(false);
    expect(await run('X=1 echo $X')).toBe('\n');
  });

  it('makes the Kubernetes Basics POD_NAME line work', async () => {
    const { run, sh } = await shell(['kubernetes-bootcamp-5485cc6795-4t8x2']);
    expect(await run(`export POD_NAME=$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}')`)).toBe('');
    expect(sh.vars.get('POD_NAME')).toBe('kubernetes-bootcamp-5485cc6795-4t8x2');
    expect(await run('echo Name of the Pod: $POD_NAME')).toBe('Name of the Pod: kubernetes-bootcamp-5485cc6795-4t8x2\n');
  });

  it('substitutes $(…) with pipes, keeps assignment words whole and returns the substitution exit code', async () => {
    const { run, sh, calls } = await shell();
    await run('export POD=$(kubectl get pods -o name | head -1)');
    expect(sh.vars.get('POD')).toBe('kubectl get pods -o name');
    await run('PODS=$(kubectl get po | tail -n +2 | wc -l)', `kubectl logs $(echo a b) "$(echo 'c  d')"`);
    expect(sh.vars.get('PODS')).toBe('2');
    expect(calls.at(-1)!.argv).toEqual(['logs', 'a', 'b', 'c  d']);
    expect(await run('X=$(k fail)', 'echo $? "$X"')).toBe('error: boom\n1 kubectl fail\n');
    expect(await run('echo $(echo "a)b")')).toBe('a)b\n');
  });
});

describe('text filters', () => {
  it('grep filters piped lines with -i, -v, -c, -n, -E and exits 1 on no match', async () => {
    const { run, sh, ws } = await shell();
    expect(await run('kubectl get po | grep hello-2')).toBe('hello-2   1/1     Running   0          5s\n');
    expect(await run('kubectl get po | grep -v -i name | grep -c Running')).toBe('2\n');
    expect(await run('kubectl get po | grep -nE "1/1|NAME" | head -2')).toBe('1:NAME      READY   STATUS    RESTARTS   AGE\n2:hello-1   1/1     Running   0          5s\n');
    expect(await run('kubectl get po | grep nothing')).toBe('');
    expect(sh.lastExitCode).toBe(1);
    await ws.write('a.txt', 'x\ny\n');
    expect(await run('grep y a.txt', 'grep y missing.txt; echo $?')).toBe('y\ngrep: missing.txt: No such file or directory\n2\n');
  });

  it('head, tail and wc count lines, words and bytes like coreutils', async () => {
    const { run, ws } = await shell();
    await ws.write('n.txt', Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    expect(await run('head -3 n.txt')).toBe('line 1\nline 2\nline 3\n');
    expect((await run('cat n.txt | head')).split('\n').length).toBe(11);
    expect(await run('tail -n 2 n.txt')).toBe('line 11\nline 12\n');
    expect(await run('tail -n +12 n.txt', 'head -n -11 n.txt')).toBe('line 12\nline 1\n');
    expect(await run('cat n.txt | wc -l', 'wc -l n.txt', 'cat n.txt | wc')).toBe('12\n12 n.txt\n     12      24      87\n');
    expect(await run('head -n x n.txt')).toBe("head: invalid number of lines: 'x'\n");
  });
});

describe('watch', () => {
  it('reruns the command every interval, clearing the screen, until interrupted', async () => {
    const ws = await openWorkspace({ name: `shell-test-${++n}` });
    let out = '';
    let clears = 0;
    const sleeps: number[] = [];
    let runs = 0;
    const sh = new Shell({
      splitCommandLine,
      write: (t) => (out += t),
      clear: () => clears++,
      workspace: ws,
      kubectl: async (argv, io) => {
        io.stdout(`run ${++runs}\n`);
        return 0;
      },
      sleep: async (ms) => {
        sleeps.push(ms);
        expect(sh.busy).toBe(true);
        if (sleeps.length === 3) sh.interrupt();
      },
    });
    expect(await sh.run('watch -n 1 kubectl get pods')).toBe(0);
    expect(sleeps).toEqual([1000, 1000, 1000]);
    expect(clears).toBe(3);
    expect(out.endsWith('Every 1.0s: kubectl get pods\n\nrun 3\n')).toBe(true);
    expect(sh.busy).toBe(false);
    await sh.run('watch');
    expect(out.endsWith('Usage:\n watch [options] command\n')).toBe(true);
  });
});

describe('shell with our kubectl', () => {
  it('runs the Kubernetes Basics POD_NAME line and a pipe through grep/wc against an apiserver', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const client = new ApiClient(await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(7) }));
    let out = '';
    const sh = new Shell({
      splitCommandLine,
      write: (t) => (out += t),
      clear: () => undefined,
      kubectl: (argv, io) => runKubectl(argv, { client, clock, stdout: io.stdout, stderr: io.stderr, stdin: io.stdin }),
    });
    await sh.run('kubectl run kubernetes-bootcamp --image=gcr.io/google-samples/kubernetes-bootcamp:v1 && kubectl run other --image=busybox');
    expect(out).toBe('pod/kubernetes-bootcamp created\npod/other created\n');
    out = '';
    await sh.run(`export POD_NAME=$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}' | grep boot)`);
    await sh.run('echo Name of the Pod: $POD_NAME; kubectl get pod $POD_NAME -o name; kubectl get pods --no-headers | wc -l');
    expect(out).toBe('Name of the Pod: kubernetes-bootcamp\npod/kubernetes-bootcamp\n2\n');
    out = '';
    await sh.run(`export POD_NAME=$(kubectl get pods -o go-template --template '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}')`);
    expect(sh.vars.get('POD_NAME')).toBe('kubernetes-bootcamp\nother');
    expect(out).toBe('');
  });
});

describe('shell completion setup', () => {
  it('accepts `source <(kubectl completion bash)` silently without running kubectl', async () => {
    const { sh, run, calls } = await shell();
    expect(await run('source <(kubectl completion bash)')).toBe('');
    expect(sh.lastExitCode).toBe(0);
    expect(await run('. <(k completion zsh)')).toBe('');
    expect(calls).toEqual([]);
    expect(await run('source foo')).toContain('command not found: source');
  });
});

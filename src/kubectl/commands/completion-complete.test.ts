import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { seededIds } from '../../api/ids';
import { ApiClient } from '../../client/api-client';
import { openIdbStore } from '../../storage';
import { createApiServer } from '../../workers/apiserver';
import { runKubectl } from '../run-kubectl';
import { splitCommandLine } from '../cli/split-command-line';
import { OPTIONS_TEXT } from './options-text';

let n = 0;
async function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const store = await openIdbStore({ name: `kubectl-cobra-complete-${++n}`, clock });
  const client = new ApiClient(await createApiServer({ store, clock, ids: seededIds(7) }));
  const kubectl = async (argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runKubectl(argv, { client, clock, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
    return { code, stdout, stderr };
  };
  const run = (line: string) => kubectl(splitCommandLine(line));
  await run('run web --image=nginx');
  await run('run api --image=nginx');
  return { kubectl, run };
}

const ended = (name: string) => `Completion ended with directive: ${name}\n`;

describe('kubectl __complete (cobra protocol, as kubectl 1.32 answers)', () => {
  it('answers the top level, resource types, names, namespaces, pods for logs and -o formats', async () => {
    const { kubectl } = await setup();
    const top = await kubectl(['__complete', '']);
    const lines = top.stdout.split('\n');
    expect(lines[0]).toBe('annotate\tUpdate the annotations on a resource');
    expect(lines).toContain('completion\tOutput shell completion code for the specified shell (bash, zsh, fish, or powershell)');
    expect(lines).toContain('options\tPrint the list of flags inherited by all commands');
    expect(lines).toContain('help\tHelp about any command');
    expect(lines.slice(-3)).toEqual(['wait\tExperimental: Wait for a specific condition on one or many resources', ':4', '']);
    expect(top.stderr).toBe(ended('ShellCompDirectiveNoFileComp'));
    expect((await kubectl(['__completeNoDesc', 'ver'])).stdout).toBe('version\n:4\n');

    const types = (await kubectl(['__complete', 'get', ''])).stdout.split('\n');
    expect(types.slice(0, 3)).toEqual(['configmaps', 'endpoints', 'events']);
    expect(types).toContain('deployments.apps');
    expect(types.indexOf('services')).toBeLessThan(types.indexOf('deployments.apps'));
    expect((await kubectl(['__complete', 'get', 'po'])).stdout).toBe('pods\npodtemplates\npods.metrics.k8s.io\npoddisruptionbudgets.policy\n:4\n');
    expect((await kubectl(['__complete', 'get', 'pods,se'])).stdout).toBe('pods,secrets\npods,serviceaccounts\npods,services\n:4\n');
    expect((await kubectl(['__complete', 'get', 'pods', ''])).stdout).toBe('api\nweb\n:4\n');
    expect((await kubectl(['__complete', 'get', 'pods', 'web', ''])).stdout).toBe('api\n:4\n');
    expect((await kubectl(['__complete', 'get', 'pods/'])).stdout).toBe('pods/api\npods/web\n:4\n');
    const ns = await kubectl(['__complete', 'get', 'po', '--namespace', '']);
    expect(ns.stdout).toBe('default\nkube-node-lease\nkube-public\nkube-system\n:4\n');
    expect((await kubectl(['__complete', 'get', '--namespace=kube-p'])).stdout).toBe('kube-public\n:4\n');
    expect((await kubectl(['__complete', '-n', 'default', 'logs', ''])).stdout).toBe(
      'api\nweb\ndaemonsets/\ndeployments/\npods/\njobs/\nreplicasets/\nreplicationcontrollers/\nservices/\nstatefulsets/\n:4\n',
    );
    expect((await kubectl(['__complete', 'logs', 'web', ''])).stdout).toBe('web\n:4\n');
    expect((await kubectl(['__complete', 'get', 'pod', '-o', ''])).stdout).toBe(
      'json\nyaml\nname\ngo-template\ngo-template-file\ntemplate\ntemplatefile\njsonpath\njsonpath-as-json\njsonpath-file\ncustom-columns\ncustom-columns-file\nwide\n:4\n',
    );
    expect((await kubectl(['__complete', 'rollout', 'status', ''])).stdout).toBe('deployment\ndaemonset\nstatefulset\n:4\n');
    expect((await kubectl(['__complete', 'rollout', 'status', 'deployment', ''])).stdout).toBe(':4\n');
    expect((await kubectl(['__complete', 'completion', ''])).stdout).toBe('bash\nzsh\nfish\npowershell\n:4\n');
    expect((await kubectl(['__complete', 'get', '--namesp'])).stdout).toBe('--namespace\tIf present, the namespace scope for this CLI request\n:4\n');
    const none = await kubectl(['__complete', 'exec', '-n', 'empty', '']);
    expect(none.stdout).toBe('daemonsets/\ndeployments/\npods/\njobs/\nreplicasets/\nreplicationcontrollers/\nservices/\nstatefulsets/\n:6\n');
    expect(none.stderr).toBe(ended('ShellCompDirectiveNoSpace, ShellCompDirectiveNoFileComp'));
    const unknown = await kubectl(['__complete', 'foo', '']);
    expect(unknown).toEqual({
      code: 0,
      stdout: ':0\n',
      stderr: '[Debug] Cleared global flags for plugin completion\n[Debug] [Error] unable to find a command for arguments: [foo]\n' + ended('ShellCompDirectiveDefault'),
    });
  });

  it("`completion bash` completes `kubectl get po<TAB>` in real bash through __complete", async () => {
    const { kubectl } = await setup();
    const script = await kubectl(['completion', 'bash']);
    expect(script.code).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'kubectl-completion-'));
    writeFileSync(join(dir, 'completion.bash'), script.stdout);
    const bash = (words: string[], withLine: boolean) =>
      execFileSync('bash', ['-c', [
        'kubectl() { printf "%s\\n" "$@" > "$DIR/args"; cat "$DIR/answer" 2>/dev/null; }',
        'source "$DIR/completion.bash"',
        withLine ? 'COMP_LINE="$WORDS"; COMP_POINT=${#COMP_LINE}' : '',
        'read -r -a COMP_WORDS <<< "$WORDS"; [[ $WORDS == *" " ]] && COMP_WORDS+=("")',
        'COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
        '__kubectl_tab; printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n')], { env: { ...process.env, DIR: dir, WORDS: words.join(' ') }, encoding: 'utf8' });
    for (const [line, withLine, expected] of [
      ['kubectl get po', false, 'pods\npodtemplates\npods.metrics.k8s.io\npoddisruptionbudgets.policy\n'],
      ['kubectl get pods ', true, 'api\nweb\n'],
      ['kubectl get --namespace=kube-s', true, 'kube-system\n'],
    ] as const) {
      writeFileSync(join(dir, 'answer'), '');
      bash([line], withLine);
      const args = readFileSync(join(dir, 'args'), 'utf8').split('\n').slice(0, -1);
      expect(args[0]).toBe('__completeNoDesc');
      const answer = await kubectl(args);
      writeFileSync(join(dir, 'answer'), answer.stdout);
      expect(bash([line], withLine)).toBe(expected);
    }
  });
});

describe('kubectl completion, options, and unknown commands', () => {
  it('prints scripts for the four shells and kubectl 1.32 errors otherwise', async () => {
    const { kubectl } = await setup();
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const r = await kubectl(['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('__complete');
    }
    const hint = "See 'kubectl completion -h' for help and examples\n";
    expect(await kubectl(['completion'])).toEqual({ code: 1, stdout: '', stderr: `error: Shell not specified.\n${hint}` });
    expect(await kubectl(['completion', 'foo'])).toEqual({ code: 1, stdout: '', stderr: `error: Unsupported shell type "foo".\n${hint}` });
    expect(await kubectl(['options'])).toEqual({ code: 0, stdout: OPTIONS_TEXT, stderr: '' });
    expect(OPTIONS_TEXT).toContain("    -n, --namespace='':\n\tIf present, the namespace scope for this CLI request\n");
  });

  it('words unknown commands as cobra does and never suggests the typed command', async () => {
    const { kubectl } = await setup();
    const unknown = (name: string, ...sugg: string[]) => ({
      code: 1,
      stdout: '',
      stderr: `error: unknown command "${name}" for "kubectl"\n${sugg.length ? `\nDid you mean this?\n${sugg.map((s) => `\t${s}\n`).join('')}` : ''}`,
    });
    expect(await kubectl(['foo'])).toEqual(unknown('foo', 'top'));
    expect(await kubectl(['gett'])).toEqual(unknown('gett', 'set', 'get'));
    expect(await kubectl(['opt'])).toEqual(unknown('opt', 'set', 'get', 'top', 'cp', 'options'));
    expect(await kubectl(['kustom'])).toEqual(unknown('kustom', 'kustomize'));
    expect(await kubectl(['zzzzzz'])).toEqual(unknown('zzzzzz'));
    const cert = await kubectl(['certificate', 'approve', 'x']);
    expect(cert.stderr).not.toContain('Did you mean');
    expect(cert).toEqual({ code: 1, stdout: '', stderr: 'error: "kubectl certificate" is not available in Tabernetes\n' });
    expect(await kubectl(['alpha'])).toEqual({ code: 0, stdout: 'No alpha commands are available in this version of kubectl\n', stderr: '' });
  });
});

import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { seededIds } from '../../api/ids';
import { ApiClient } from '../../client/api-client';
import { openIdbStore } from '../../storage';
import { createApiServer } from '../../workers/apiserver';
import { runKubectl } from '../run-kubectl';
import { splitCommandLine } from '../cli/split-command-line';

async function setup(name: string) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const store = await openIdbStore({ name, clock });
  const client = new ApiClient(await createApiServer({ store, clock, ids: seededIds(9) }));
  const run = async (line: string, editor?: (text: string, round: number) => string | undefined) => {
    let stdout = '';
    let stderr = '';
    const buffers: string[] = [];
    const edit = editor
      ? async (text: string) => {
          buffers.push(text);
          return editor(text, buffers.length);
        }
      : undefined;
    const code = await runKubectl(splitCommandLine(line), { client, clock, edit, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr, buffers };
  };
  return { run };
}

const HEADER = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

describe('kubectl edit', () => {
  it('opens the YAML with the header, patches the change and reports cancels', async () => {
    const { run } = await setup('kubectl-edit');
    await run('create configmap cfg --from-literal=a=b');
    const r = await run('edit cm/cfg', (text) => text.replace('  a: b\n', '  a: changed\n'));
    expect(r.buffers[0].startsWith(HEADER + 'apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\n')).toBe(true);
    expect(r.buffers[0]).not.toContain('managedFields');
    expect(r).toMatchObject({ code: 0, stdout: 'configmap/cfg edited\n', stderr: '' });
    expect((await run('get cm cfg -o jsonpath={.data.a}')).stdout).toBe('changed');
    expect(await run('edit cm cfg', (t) => t)).toMatchObject({ code: 0, stdout: '', stderr: 'Edit cancelled, no changes made.\n' });
    expect(await run('edit cm cfg', () => undefined)).toMatchObject({ code: 0, stderr: 'Edit cancelled, no changes made.\n' });
    expect((await run('edit cm cfg', (t) => t.replace('name: cfg', 'name: other'))).stderr).toBe('error: At least one of apiVersion, kind and name was changed\n');
    expect((await run('edit cm cfg')).stderr).toBe('error: unable to launch the editor "vi"\n');
  });

  it('reopens invalid edits with the reasons, and gives up when nothing changed', async () => {
    const { run } = await setup('kubectl-edit-invalid');
    await run('create configmap cfg --from-literal=a=b');
    const r = await run('edit cm cfg', (text, round) => (round === 1 ? text.replace('  a: b\n', '  "bad key": b\n') : text));
    expect(r.stderr).toBe('error: configmaps "cfg" is invalid\nerror: Edit cancelled, no valid changes were saved.\n');
    expect(r.code).toBe(1);
    expect(r.buffers[1].startsWith(HEADER + '# configmaps "cfg" was not valid:\n# * data[bad key]: Invalid value: "bad key": ')).toBe(true);
    expect(r.buffers[1]).toContain('\napiVersion: v1\ndata:\n  "bad key": b\n');
    const syntax = await run('edit cm cfg', (text, round) => (round === 1 ? text.replace('  a: b\n', '  a: b\n   x: 1\n') : text.replace('   x: 1\n', '')));
    expect(syntax.buffers[1]).toMatch(/^# Please edit[\s\S]*\n# The edited file had a syntax error: error converting YAML to JSON: yaml: line \d+, column \d+: mapping values are not allowed in this context\n#\n/);
    expect(syntax.stderr).toBe('Edit cancelled, no changes made.\n');
  });
});

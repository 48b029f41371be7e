import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock';
import { seededIds } from '../api/ids';
import { ApiClient } from '../client/api-client';
import { openIdbStore } from '../storage';
import { createApiServer } from '../workers/apiserver';
import { commonPrefix, complete } from './completion';
import { runKubectl } from './run-kubectl';
import { splitCommandLine } from './cli/split-command-line';

async function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const store = await openIdbStore({ name: 'kubectl-completion', clock });
  const client = new ApiClient(await createApiServer({ store, clock, ids: seededIds(5) }));
  const run = (line: string) => runKubectl(splitCommandLine(line), { client, clock, stdout: () => undefined, stderr: () => undefined });
  return { client, run };
}

describe('complete', () => {
  it('completes commands, sub-commands, flags, -o values, resource types and live names', async () => {
    const { client, run } = await setup();
    await run('create configmap web-config --from-literal=a=b');
    await run('create configmap web-extra');
    await run('create namespace team-a');
    const c = async (line: string) => (await complete(line, line.length, client)).candidates;
    expect(await c('kub')).toEqual(['kubectl']);
    expect(await c('kubectl ge')).toEqual(['get']);
    expect(await c('kubectl create dep')).toEqual(['deployment']);
    expect(await c('kubectl get --show-l')).toEqual(['--show-labels']);
    expect(await c('kubectl get pods -o js')).toEqual(['json', 'jsonpath-as-json=', 'jsonpath=']);
    expect(await c('kubectl get config')).toEqual(['configmaps']);
    expect(await c('kubectl get cm web-')).toEqual(['web-config', 'web-extra']);
    expect(await c('kubectl describe configmap/web-c')).toEqual(['configmap/web-config']);
    expect(await c('kubectl get pods -n team')).toEqual(['team-a']);
    expect(await c('kubectl get cm -n team-a web')).toEqual([]);
    const at = await complete('kubectl get cm web- -o yaml', 'kubectl get cm web-'.length, client);
    expect(at).toEqual({ from: 'kubectl get cm '.length, word: 'web-', candidates: ['web-config', 'web-extra'] });
    expect(commonPrefix(at.candidates)).toBe('web-');
    expect(commonPrefix(['configmaps'])).toBe('configmaps');
  });

  it('completes debug targets (pods, node/NAME) and cp remote specs (POD:)', async () => {
    const { client, run } = await setup();
    await run('run dbg-web --image=busybox');
    await client.call({ method: 'POST', path: '/api/v1/nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'dbg-node-1' } } });
    const c = async (line: string) => (await complete(line, line.length, client)).candidates;
    expect(await c('kubectl debug dbg')).toEqual(['dbg-web']);
    expect(await c('kubectl debug no')).toEqual(['node/']);
    expect(await c('kubectl debug node/dbg')).toEqual(['node/dbg-node-1']);
    expect(await c('kubectl cp dbg')).toEqual(['dbg-web:']);
    expect(await c('kubectl cp dbg-web:/tmp/x dbg')).toEqual(['dbg-web:']);
    expect(await c('kubectl cp dbg-web:/t')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { failureStatus } from '../../api/status';
import type { ApiRequest } from '../../api/protocol';
import { kubectlApiFixture, type Intercept } from '../testing/kubectl-api-fixture';
import { parseTaints, reorganizeTaints } from './taint';
import { goDurationString } from './drain-filters';

const NODE = (name: string) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n  labels: {pool: a}\n`;
const pod = (name: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${extra}spec:\n  nodeName: n1\n  containers: [{name: c, image: nginx}]\n`;
const owned = (kind: string, name: string) => `  ownerReferences: [{apiVersion: apps/v1, kind: ${kind}, name: ${name}, uid: u-${name}, controller: true}]\n`;

/** Adds pods/eviction to /api/v1 discovery and serves it by deleting the pod, or answering `evict(pod)` when it returns a response. */
function withEviction(evict?: (pod: string, attempt: number) => { status: number; body: unknown } | undefined): Intercept {
  const attempts = new Map<string, number>();
  return async (req: ApiRequest, api) => {
    if (req.method === 'GET' && req.path === '/api/v1') {
      const res = await api.request(req);
      const body = res.body as { resources: unknown[] };
      return { ...res, body: { ...body, resources: [...body.resources, { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }] } };
    }
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(req.path);
    if (req.method === 'POST' && m) {
      const n = (attempts.get(m[2]) ?? 0) + 1;
      attempts.set(m[2], n);
      const canned = evict?.(m[2], n);
      if (canned) return canned;
      const opts = (req.body as { deleteOptions?: Record<string, unknown> }).deleteOptions;
      const res = await api.request({ method: 'DELETE', path: `/api/v1/namespaces/${m[1]}/pods/${m[2]}`, body: opts });
      return res.status >= 300 ? res : { status: 201, body: { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 } };
    }
    return undefined;
  };
}

async function cluster(intercept?: Intercept) {
  const f = await kubectlApiFixture(intercept);
  for (const n of ['n1', 'n2']) expect((await f.run('apply -f -', NODE(n))).code).toBe(0);
  return f;
}

describe('kubectl cordon / uncordon', () => {
  it('patches spec.unschedulable and reports already-cordoned nodes', async () => {
    const f = await cluster();
    expect(await f.run('cordon n1')).toEqual({ code: 0, stdout: 'node/n1 cordoned\n', stderr: '' });
    expect(await f.run('cordon n1 n2')).toEqual({ code: 0, stdout: 'node/n1 already cordoned\nnode/n2 cordoned\n', stderr: '' });
    expect((await f.run('get node n1 -o jsonpath={.spec.unschedulable}')).stdout).toBe('true');
    expect(await f.run('uncordon -l pool=a --dry-run=client')).toEqual({ code: 0, stdout: 'node/n1 uncordoned (dry run)\nnode/n2 uncordoned (dry run)\n', stderr: '' });
    expect(await f.run('uncordon node/n1')).toEqual({ code: 0, stdout: 'node/n1 uncordoned\n', stderr: '' });
    expect((await f.run('get node n1 -o jsonpath={.spec}')).stdout).not.toContain('unschedulable');
    expect(await f.run('cordon')).toEqual({ code: 1, stdout: '', stderr: "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n" });
    expect(await f.run('cordon nope')).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): nodes "nope" not found\n' });
  });
});

describe('kubectl drain', () => {
  it('lists the pods that block the drain, grouped by reason, after cordoning', async () => {
    const f = await cluster();
    await f.run('apply -f -', pod('bare'));
    await f.run('apply -f -', pod('scratch', owned('ReplicaSet', 'rs')).replace('containers:', 'volumes: [{name: d, emptyDir: {}}]\n  containers:'));
    const r = await f.run('drain n1');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('node/n1 cordoned\n');
    expect(r.stderr).toBe(
      'error: unable to drain node "n1" due to error: [cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare, ' +
        'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch], continuing command...\n' +
        'There are pending nodes to be drained:\n n1\n' +
        'cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare\n' +
        'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch\n',
    );
  });

  it('deletes instead of evicting with --disable-eviction, and waits for the pods to go', async () => {
    const f = await cluster();
    await f.run('apply -f -', pod('a', owned('ReplicaSet', 'rs')));
    await f.run('apply -f -', pod('bare'));
    const r = await f.runTicking('drain n1 --force --grace-period=0 --disable-eviction');
    expect(r).toEqual({ code: 0, stdout: 'node/n1 cordoned\npod/a deleted\npod/bare deleted\nnode/n1 drained\n', stderr: 'Warning: deleting Pods that declare no controller: default/bare\n' });
    const deletes = f.requests.filter((q) => q.method === 'DELETE');
    expect(deletes.map((q) => [q.path, q.body])).toEqual([
      ['/api/v1/namespaces/default/pods/a', { gracePeriodSeconds: 0 }],
      ['/api/v1/namespaces/default/pods/bare', { gracePeriodSeconds: 0 }],
    ]);
  });

  it('evicts through pods/eviction, skips DaemonSet pods with --ignore-daemonsets, retries 429s', async () => {
    const f = await cluster(withEviction((p, n) => (p === 'guarded' && n < 3 ? { status: 429, body: failureStatus('TooManyRequests', 'Cannot evict pod as it would violate the pod\'s disruption budget.') } : undefined)));
    await f.run('apply -f -', 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: nginx}]}\n');
    await f.run('apply -f -', pod('agent', owned('DaemonSet', 'ds')));
    await f.run('apply -f -', pod('guarded', owned('ReplicaSet', 'rs')));
    const r = await f.runTicking('drain n1 --ignore-daemonsets --grace-period=0');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('node/n1 cordoned\nevicting pod default/guarded\nevicting pod default/guarded\nevicting pod default/guarded\npod/guarded evicted\nnode/n1 drained\n');
    expect(r.stderr).toBe(
      'Warning: ignoring DaemonSet-managed Pods: default/agent\n' +
        'error when evicting pods/"guarded" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.\n'.repeat(2),
    );
    expect((await f.run('get pod agent -o name')).stdout).toBe('pod/agent\n');
  });

  it('gives up at --timeout with kubectl\'s error', async () => {
    const f = await cluster(withEviction(() => ({ status: 429, body: failureStatus('TooManyRequests', 'budget') })));
    await f.run('apply -f -', pod('guarded', owned('ReplicaSet', 'rs')));
    const r = await f.runTicking('drain n1 --timeout=8s');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: unable to drain node "n1" due to error: error when evicting pods/"guarded" -n "default": global timeout reached: 8s, continuing command...\n');
    expect(r.stderr).toContain('There are pending pods in node "n1" when an error occurred: error when evicting pods/"guarded" -n "default": global timeout reached: 8s\npod/guarded\n');
  });
});

describe('kubectl taint', () => {
  it('adds, overwrites and removes taints with kubectl\'s verbs and errors', async () => {
    const f = await cluster();
    expect(await f.run('taint nodes n1 dedicated=special:NoSchedule')).toEqual({ code: 0, stdout: 'node/n1 tainted\n', stderr: '' });
    expect((await f.run('taint nodes n1 dedicated=x:NoSchedule')).stderr).toBe('error: node n1 already has dedicated taint(s) with same effect(s) and --overwrite is false\n');
    expect((await f.run('taint nodes n1 dedicated=x:NoSchedule --overwrite')).stdout).toBe('node/n1 modified\n');
    expect((await f.run('taint no -l pool=a gpu:NoExecute')).stdout).toBe('node/n1 tainted\nnode/n2 tainted\n');
    expect((await f.run('get node n1 -o jsonpath={.spec.taints}')).stdout).toBe('[{"effect":"NoExecute","key":"gpu"},{"effect":"NoSchedule","key":"dedicated","value":"x"}]');
    expect((await f.run('taint node n1 gpu-')).stdout).toBe('node/n1 untainted\n');
    expect(await f.run('taint node n1 gpu-')).toEqual({ code: 1, stdout: '', stderr: 'error: taint "gpu" not found\n' });
    expect((await f.run('taint node n1 a=b:Bad')).stderr).toBe("error: invalid taint effect: Bad, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n");
    expect((await f.run('taint pods p a=b:NoSchedule')).stderr).toBe('error: invalid resource type pods, only node types are supported\n');
  });

  it('parses and reorganizes like kubectl', () => {
    expect(() => parseTaints(['k=v:NoSchedule', 'k=w:NoSchedule'])).toThrow('duplicated taints with the same key and effect: {k w NoSchedule <nil>}');
    const { add, remove } = parseTaints(['a=1:NoSchedule', 'b:NoExecute-']);
    expect(reorganizeTaints([{ key: 'b', effect: 'NoExecute' }, { key: 'c', effect: 'NoSchedule' }], add, remove, false)).toEqual({
      taints: [{ key: 'a', value: '1', effect: 'NoSchedule' }, { key: 'c', effect: 'NoSchedule' }],
      operation: 'modified',
      errors: [],
    });
    expect(goDurationString(90_000)).toBe('1m30s');
  });
});

// The `kubectl create` generators (service loadbalancer|externalname|nodeport, secret tls|docker-registry, quota,
// priorityclass, pdb, clusterrole, job --from, token) against the real kubectl 1.32 on the same `npm run serve`
// cluster: real kubectl works in namespace real, ours in namespace ours; --dry-run=client output must be the
// same bytes, and the objects each one creates on the server must be the same.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../client/api-client';
import { createHttpTransport } from '../node/http-transport';
import { systemClock } from '../platform';
import { REAL_KUBECTL, ServeFixture, twinNamespaces, type Run } from '../../test/serve-helpers';
import golden from './commands/generators/create-golden.json';
import { captureKubectl } from './testing/capture-kubectl';

const objects = (ns: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot, namespace: ${ns}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: ${ns}}
spec:
  schedule: "0 0 1 1 *"
  suspend: true
  jobTemplate:
    metadata:
      labels: {team: a}
      annotations: {note: hi}
    spec:
      template:
        metadata: {labels: {app: nightly}}
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox, command: [sleep, "1"]}]
`;

const serve = new ServeFixture('tabernetes-create-', { apply: twinNamespaces(objects) });
let dir = '';

/** Our kubectl over HTTP, reading --cert/--key/--from-file from disk like the real one. */
async function ours(args: string[]): Promise<Run> {
  const http = createHttpTransport({ server: serve.url });
  try {
    const readFile = (n: string) => (existsSync(n) ? readFileSync(n, 'utf8') : undefined);
    return await captureKubectl(args, { client: new ApiClient(http, 'kubectl/v1.32.5 (tabernetes)'), clock: systemClock(), namespace: 'default', readFile });
  } finally {
    http.close();
  }
}

/** args with NS → real / ours and F:name → the PEM file, run by each kubectl in its own namespace. */
async function twin(args: string[]): Promise<{ real: Run; ours: Run }> {
  const forNs = (ns: string) => [...args.map((a) => a.replaceAll('NS', ns).replaceAll('F:', `${dir}/`)), '-n', ns];
  const real = await serve.real(forNs('real'));
  const our = await ours(forNs('ours'));
  return { real, ours: { ...our, stdout: our.stdout.replaceAll('ours', 'real'), stderr: our.stderr.replaceAll('ours', 'real') } };
}

const CASES: [kind: string, name: string, args: string[]][] = [
  ['service', 'lb', ['create', 'service', 'loadbalancer', 'lb', '--tcp=80:8080,443']],
  ['service', 'ext', ['create', 'service', 'externalname', 'ext', '--external-name=db.example.com', '--tcp=5432']],
  ['service', 'np', ['create', 'service', 'nodeport', 'np', '--tcp=80:8080']],
  ['secret', 'tls', ['create', 'secret', 'tls', 'tls', '--cert=F:tls.crt', '--key=F:tls.key']],
  ['secret', 'reg', ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.io', '--docker-username=u', '--docker-password=p', '--docker-email=e@x']],
  ['resourcequota', 'q', ['create', 'quota', 'q', '--hard=cpu=1,memory=1G,pods=2', '--scopes=NotBestEffort']],
  ['priorityclass', 'pc-NS', ['create', 'priorityclass', 'pc-NS', '--value=1000', '--description=batch', '--preemption-policy=Never']],
  ['pdb', 'p', ['create', 'pdb', 'p', '--selector=app=web,tier in (fe)', '--min-available=50%']],
  ['clusterrole', 'logs-NS', ['create', 'clusterrole', 'logs-NS', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=a']],
  ['clusterrole', 'urls-NS', ['create', 'clusterrole', 'urls-NS', '--verb=get', '--non-resource-url=/logs/*', '--non-resource-url=/healthz']],
  ['clusterrole', 'agg-NS', ['create', 'clusterrole', 'agg-NS', '--aggregation-rule=rbac.example.com/aggregate=true']],
  ['job', 'manual', ['create', 'job', 'manual', '--from=cronjob/nightly']],
];

/** An object as the server keeps it, without what differs between two creations (ids, times, allocations). */
function normalise(json: string, ns: string): unknown {
  const uids = [...json.matchAll(/"uid": "([^"]+)"/g)].map((m) => m[1]);
  let text = json.replaceAll(ns, 'NS');
  for (const u of uids) text = text.replaceAll(u, 'UID');
  const o = JSON.parse(text);
  for (const k of ['resourceVersion', 'creationTimestamp']) delete o.metadata[k];
  for (const m of o.metadata.managedFields ?? []) delete m.time;
  delete o.status;
  if (o.kind === 'Service') {
    delete o.spec.clusterIP;
    delete o.spec.clusterIPs;
    for (const p of o.spec.ports ?? []) delete p.nodePort;
  }
  if (o.kind === 'ClusterRole' && o.aggregationRule) delete o.rules;
  return o;
}

describe.skipIf(!REAL_KUBECTL)('kubectl create generators match kubectl 1.32 against npm run serve', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tabernetes-create-pem-'));
    const files = golden.files as Record<string, string>;
    for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path.split('/').at(-1)!), text);
    await serve.start();
  }, 120_000);
  afterAll(async () => {
    await serve.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const [, , args] of CASES) {
    it(`${args.join(' ')} --dry-run=client -o yaml`, async () => {
      const { real, ours: our } = await twin([...args, '--dry-run=client', '-o', 'yaml']);
      // Job --from=cronjob: the ownerReference names each namespace's own CronJob.
      const uid = async (ns: string) => (await serve.ours(['get', 'cronjob', 'nightly', '-n', ns, '-o', 'jsonpath={.metadata.uid}'])).stdout;
      expect(real.code).toBe(0);
      expect(our.stdout.replace(await uid('ours'), 'UID')).toBe(real.stdout.replace(await uid('real'), 'UID'));
      expect(our.stderr).toBe(real.stderr);
    }, 30_000);
  }

  for (const [kind, name, args] of CASES) {
    it(`${args.join(' ')} creates the same ${kind} on the server`, async () => {
      const created = await twin(args);
      expect(created.ours).toEqual(created.real);
      expect(created.real.code).toBe(0);
      const got = async (ns: string) => normalise((await serve.ours(['get', kind, name.replace('NS', ns), '-n', ns, '-o', 'json'])).stdout, ns);
      expect(await got('ours')).toEqual(await got('real'));
      const again = await twin(args);
      expect(again.ours).toEqual(again.real);
      expect(again.real.code).toBe(1);
    }, 30_000);
  }

  it('create token: a token for the service account, and the same errors', async () => {
    for (const args of [['create', 'token', 'robot', '--duration=10m', '--audience=api'], ['create', 'token', 'robot', '-o', 'jsonpath={.spec}']]) {
      const { real, ours: our } = await twin(args);
      expect([our.code, our.stderr]).toEqual([0, '']);
      expect(real.code).toBe(0);
      if (args.includes('-o')) expect(our.stdout).toBe(real.stdout);
      else expect(our.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    }
    const { real, ours: our } = await twin(['create', 'token', 'nobody']);
    expect(our).toEqual(real);
  }, 30_000);

  it('create job --from a missing cronjob or a non-cronjob fails like kubectl', async () => {
    for (const args of [['create', 'job', 'x', '--from=cronjob/nope'], ['create', 'job', 'x', '--from=cj'], ['create', 'job', 'x', '--from=serviceaccount/robot', '--dry-run=client']]) {
      const { real, ours: our } = await twin(args);
      expect(our).toEqual(real);
    }
  }, 30_000);
});

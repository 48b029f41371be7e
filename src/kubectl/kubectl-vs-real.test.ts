// Our kubectl against the real kubectl 1.32 binary on the same `npm run serve` cluster: output formats,
// sorting, label columns, several types, categories. Skipped without the binary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itMatchesReal, REAL_KUBECTL, ServeFixture } from '../../test/serve-helpers';

const OBJECTS = `apiVersion: v1
kind: ConfigMap
metadata: {name: cm-b, labels: {app: web, tier: fe}}
data: {k: "10", size: 2Gi}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm-a, labels: {app: db}}
data: {k: "9", size: 512Mi}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm-c}
data: {size: 1Gi}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: real-1, labels: {app: web}, annotations: {note: hi}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ours-1, labels: {app: web}, annotations: {note: hi}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, labels: {app: web, tier: fe}, annotations: {note: hi}}
data: {a: "1", long: "line1\\nline2\\n"}
binaryData: {bin: AAEC}
---
apiVersion: v1
kind: Secret
metadata: {name: sec}
type: Opaque
data: {password: czNjcjN0, user: YWRtaW4=}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot}
---
apiVersion: v1
kind: Pod
metadata: {name: p1, labels: {app: p1, tier: be}}
spec:
  containers:
  - {name: a, image: tabernetes/none-a, ports: [{containerPort: 8080}, {containerPort: 53, protocol: UDP}]}
  - {name: b, image: tabernetes/none-b, ports: [{containerPort: 9090}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-x, labels: {team: x, example.com/owner: me}}
`;

const serve = new ServeFixture('tabernetes-kubectl-', { apply: OBJECTS });

describe.skipIf(!REAL_KUBECTL)('kubectl output matches kubectl 1.32 against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);

  afterAll(() => serve.stop());

  const cases: string[][] = [
    ['get', 'cm', '-l', 'app', '-o', 'custom-columns=NAME:.metadata.name,K:.data.k,LABELS:.metadata.labels'],
    ['get', 'cm', '-o', 'custom-columns=NAME:.metadata.name,K:.data.k', '--no-headers', '--sort-by=.data.k'],
    ['get', 'cm', '-l', 'app', '--sort-by', '.data.size', '-o', 'name'],
    ['get', 'cm', '-l', 'app', '--sort-by', '{.metadata.name}'],
    ['get', 'cm', '-l', 'app', '-L', 'app', '-L', 'tier', '--show-labels'],
    ['get', 'cm', 'cm-a', 'cm-b', '-L', 'app,tier'],
    ['get', 'ns', '-L', 'example.com/owner', '--sort-by=.metadata.name'],
    ['get', 'cm', '-l', 'app', '--sort-by=.nope'],
    ['get', 'cm', '-l', 'app', '--sort-by=.nope', '-o', 'name'],
    ['get', 'cm', '-l', 'app', '-o', 'jsonpath={.items[*].metadata.name}'],
    ['get', 'cm', '-l', 'app', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.data.k}{"\\n"}{end}'],
    ['get', 'cm', 'cm-a', '-o', 'jsonpath={.data}'],
    ['get', 'cm', 'cm-a', '-o', 'jsonpath-as-json={.data.k}'],
    ['get', 'cm', '-l', 'app', '-o', 'go-template={{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}'],
    ['get', 'cm', '-l', 'app', '-o', 'go-template', '--template', '{{len .items}}'],
    ['get', 'ns', 'team-x', '--show-kind'],
    ['get', 'cm,ns', '-l', 'team'],
    ['get', 'ns/team-x', 'cm/cm-a'],
    ['get', 'all', '-n', 'team-x'],
    ['get', 'cm', '-o', 'custom-columns=NAME'],
    ['get', 'cm', '-o', 'foo'],
    ['create', 'job', 'j', '--image=busybox', '--dry-run=client', '-o', 'yaml', '--', 'echo', 'hi'],
    ['create', 'job', 'j', '--image=busybox', '--dry-run=client', '-o', 'json'],
    ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *', '--dry-run=client', '-o', 'yaml', '--', 'echo', 'hi'],
    ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=@hourly', '--restart=Never', '--dry-run=client', '-o', 'json'],
    ['create', 'role', 'r', '--verb=get,list', '--resource=pods,configmaps,pods/log', '--dry-run=client', '-o', 'yaml'],
    ['create', 'role', 'r', '--verb=get', '--verb=watch', '--resource=secrets', '--resource-name=a', '--dry-run=client', '-o', 'json'],
    ['create', 'role', 'r', '--verb=fly', '--resource=pods', '--dry-run=client', '-o', 'yaml'],
    ['create', 'clusterrole', 'cr', '--verb=get', '--resource=nodes,namespaces', '--dry-run=client', '-o', 'yaml'],
    ['run', 'nginx', '--image=nginx', '--dry-run=client', '-o', 'yaml'],
    ['run', 'nginx', '--image=nginx', '--dry-run=client'],
    ['run', 'bb', '--image=busybox', '--restart=Never', '--env=A=1', '--env=B=2', '--labels=x=y,z=w', '--port=80', '--command', '--dry-run=client', '-o', 'yaml', '--', 'sh', '-c', 'echo hi'],
    ['run', 'bb', '--image=busybox', '--dry-run=client', '-o', 'json', '--', 'sleep', '1'],
    ['run', '--image=busybox'],
    ['expose', 'pod', 'p1', '--port=80', '--target-port=8080', '--type=NodePort', '--dry-run=client', '-o', 'yaml'],
    ['expose', 'pod', 'p1', '--dry-run=client', '-o', 'yaml'],
    ['expose', 'pod/p1', '--port=80', '--name=other', '--labels=x=y', '--dry-run=client', '-o', 'json'],
    ['expose', 'pod', 'p1', '--port', '80', '--target-port=http', '--dry-run=client'],
    ['expose', 'cm', 'cm-a', '--port=80'],
    ['expose', 'pod', 'nope', '--port=80'],
    ['set', 'image', 'pod/p1', 'zzz=nginx', '--dry-run=client'],
    ['wait', '--for=jsonpath={.data.k}=10', 'cm/cm-b'],
    ['wait', '--for=jsonpath=.data.k', 'cm', '-l', 'app', '--timeout=2s'],
    ['wait', '--for=condition=Ready', 'cm/cm-a', '--timeout=1s'],
    ['wait', '--for=delete', 'cm/nope', '--timeout=1s'],
    ['wait', '--for=condition=Ready', 'cm', '-l', 'nothing=here'],
    ['wait', 'cm/cm-a'],
    ['describe', 'ns', 'team-x'],
    ['describe', 'ns/default', 'ns/team-x'],
    ['describe', 'sa', 'robot'],
    ['describe', 'svc', 'kubernetes'],
    ['describe', 'cm', 'nope'],
    ['describe', 'cm', '-l', 'none=here'],
    ['api-versions'],
    ['get', 'pods', '-n', 'team-x', '-o', 'name'],
    ['get', 'pods', '-n', 'team-x', '-o', 'yaml'],
    ['get', 'pods', '-n', 'team-x', '-o', 'jsonpath={.items}'],
    ['get', 'pods', '-n', 'team-x', '-o', 'custom-columns=N:.metadata.name'],
    ['get', 'pods', '-n', 'team-x', '--sort-by=.metadata.name'],
    ['config', 'current-context'],
    ['config', 'get-contexts'],
    ['config', 'get-contexts', '-o', 'name'],
  ];
  itMatchesReal(serve, cases);

  // Real kubectl prints ConfigMap and Secret data keys in Go's random map order: compare the lines as a multiset.
  for (const args of [['describe', 'cm', 'cfg'], ['describe', 'secret', 'sec'], ['describe', 'configmaps', '-l', 'app=web']]) {
    it(args.join(' '), async () => {
      const [real, ours] = [await serve.real(args), await serve.ours(args)];
      const lines = (out: string) => out.split('\n').sort();
      expect({ ...ours, stdout: lines(ours.stdout) }).toEqual({ ...real, stdout: lines(real.stdout) });
    });
  }

  it('cluster-info', async () => {
    const real = await serve.real(['cluster-info']);
    const ours = await serve.ours(['cluster-info']);
    expect(ours).toEqual({ ...real, stdout: real.stdout.replaceAll(serve.url, 'https://127.0.0.1:6443') });
  });

  // Mutations: the real kubectl changes real-N, ours the identical ours-N; outputs must match by name.
  const mutations: string[][] = [
    ['label', 'cm', 'NAME', 'k=v'],
    ['label', 'cm', 'NAME', 'k=v'],
    ['label', 'cm', 'NAME', 'k=w'],
    ['label', 'cm', 'NAME', 'k=w', '--overwrite'],
    ['label', 'cm', 'NAME', 'k-', 'nope-'],
    ['label', 'cm/NAME', 'missing', 'a=b'],
    ['annotate', 'cm', 'NAME', 'note=x'],
    ['annotate', 'cm', 'NAME', 'note=x', '--overwrite'],
    ['annotate', 'cm', 'NAME', 'note-', '-o', 'jsonpath={.metadata.annotations}'],
    ['patch', 'cm', 'NAME', '-p', '{"data":{"a":"1"}}'],
    ['patch', 'cm', 'NAME', '-p', '{"data":{"a":"1"}}'],
    ['patch', 'cm', 'NAME', '--type=merge', '-p', 'data: {b: "2"}'],
    ['patch', 'cm', 'NAME', '--type=json', '-p', '[{"op":"remove","path":"/data/a"}]'],
    ['patch', 'cm', 'NAME', '--type=foo', '-p', '{}'],
    ['patch', 'cm', 'NAME'],
    ['get', 'cm', 'NAME', '-o', 'jsonpath={.metadata.labels} {.data}'],
    ['scale', 'cm', 'NAME'],
    ['expose', 'pod', 'p1', '--port=80', '--name=NAME-svc'],
    ['get', 'svc', 'NAME-svc', '-o', 'jsonpath={.spec.ports} {.spec.selector} {.metadata.labels} {.spec.type}'],
    ['replace', '-f', '-'],
    ['get', 'cm', 'NAME', '-o', 'jsonpath={.data}'],
    ['replace', '--force', '-f', '-'],
  ];
  for (const args of mutations) {
    it(args.join(' '), async () => {
      const stdin = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  replaced: "yes"\n`;
      const real = await serve.real(args.map((a) => a.replace('NAME', 'real-1')), { stdin: stdin('real-1') });
      const ours = await serve.ours(args.map((a) => a.replace('NAME', 'ours-1')), stdin('ours-1'));
      const norm = (r: { stdout: string; stderr: string; code: number }) => ({ ...r, stdout: r.stdout.replaceAll('ours-1', 'real-1'), stderr: r.stderr.replaceAll('ours-1', 'real-1') });
      expect(norm(ours)).toEqual({ ...real, stderr: real.stderr.replaceAll('kubectl.1.32 ', 'kubectl ') });
    }, 30_000);
  }
});

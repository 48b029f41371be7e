// `kubectl create … -o json|yaml` against the real kubectl 1.32 on the same `npm run serve`: kubectl's create
// commands print through typed clients, so -o json is in Go struct order, also for the server's answer. Real
// kubectl works in namespace real, ours in namespace ours; `create job --from=cronjob/CJ` from each one's copy of
// a CronJob that sets many PodSpec/Container fields (client dry run, server dry run and a real create), and each
// generator's created object; the same bytes once namespace, uids, timestamps, resourceVersions and IPs are blanked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_KUBECTL, ServeFixture, twinNamespaces } from './serve-helpers';

const objects = (ns: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: ${ns}, labels: {tier: batch}}
spec:
  schedule: "0 0 1 1 *"
  suspend: true
  concurrencyPolicy: Forbid
  jobTemplate:
    metadata:
      labels: {team: a, app: nightly}
      annotations: {note: hi, a.example.com/x: "1"}
    spec:
      backoffLimit: 2
      activeDeadlineSeconds: 600
      ttlSecondsAfterFinished: 100
      parallelism: 1
      completions: 1
      template:
        metadata: {labels: {app: nightly}, annotations: {z: "1", b: "2"}}
        spec:
          restartPolicy: OnFailure
          terminationGracePeriodSeconds: 5
          nodeSelector: {kubernetes.io/os: linux}
          tolerations: [{key: k, operator: Exists, effect: NoSchedule}]
          securityContext: {runAsUser: 1000, fsGroup: 2000}
          volumes:
          - {name: data, emptyDir: {}}
          - name: cfg
            configMap: {name: settings, items: [{key: a, path: a.txt}]}
          initContainers:
          - {name: init, image: busybox, command: [sh, -c, "true"]}
          containers:
          - name: c
            image: busybox
            command: [sleep, "1"]
            args: [x]
            workingDir: /tmp
            ports: [{containerPort: 8080, name: http}]
            env:
            - {name: A, value: "1"}
            - name: POD
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            resources: {limits: {memory: 64Mi, cpu: 100m}, requests: {cpu: 50m}}
            volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /cfg, readOnly: true}]
            readinessProbe: {exec: {command: ["true"]}, periodSeconds: 5}
            securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;

const serve = new ServeFixture('tabernetes-create-job-', { apply: twinNamespaces(objects) });

/** Output with what differs between two namespaces' objects blanked. */
function normalise(text: string, ns: string): string {
  return text
    .replace(/("?uid"?: "?)[0-9a-f-]{36}/g, '$1UID')
    .replace(/("?creationTimestamp"?: "?)\d{4}-\d\d-\d\dT[\d:]+Z/g, '$1TIME')
    .replace(/("?resourceVersion"?: ")\d+/g, '$1RV')
    .replace(/'\d+'/g, "'N'")
    .replace(/10\.96\.\d+\.\d+/g, 'IP')
    .replace(/"nodePort": \d+/g, '"nodePort": N')
    .replaceAll(ns, 'NS');
}

let n = 0;
describe.skipIf(!REAL_KUBECTL)('kubectl create job --from=cronjob matches kubectl 1.32 against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);
  afterAll(() => serve.stop());

  for (const extra of [['--dry-run=client'], ['--dry-run=server'], []]) {
    for (const output of ['json', 'yaml']) {
      const args = ['create', 'job', 'JOB', '--from=cronjob/nightly', '-o', output, ...extra];
      it(args.join(' '), async () => {
        const job = `manual-${++n}`;
        const run = (ns: string) => args.map((a) => (a === 'JOB' ? job : a)).concat('-n', ns);
        const real = await serve.real(run('real'));
        const ours = await serve.ours(run('ours'));
        expect(real.code).toBe(0);
        expect({ ...ours, stdout: normalise(ours.stdout, 'ours') }).toEqual({ ...real, stdout: normalise(real.stdout, 'real') });
      }, 30_000);
    }
  }

  for (const args of [
    ['create', 'deployment', 'd', '--image=nginx', '--port=80', '--replicas=2'],
    ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'],
    ['create', 'job', 'j', '--image=busybox', '--', 'date'],
    ['create', 'configmap', 'cm', '--from-literal=b=2', '--from-literal=a=1'],
    ['create', 'secret', 'generic', 'sec', '--from-literal=a=b'],
    ['create', 'serviceaccount', 'sa'],
    ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080'],
    ['create', 'service', 'nodeport', 'np', '--tcp=80'],
    ['create', 'role', 'r', '--verb=get,list', '--resource=pods'],
    ['create', 'rolebinding', 'rb', '--role=r', '--user=u', '--serviceaccount=NS:sa'],
    ['create', 'ingress', 'ing', '--rule=a.com/p*=svc:80,tls=sec'],
    ['create', 'pdb', 'pdb', '--selector=app=x', '--min-available=1'],
    ['create', 'quota', 'q', '--hard=pods=2,cpu=1'],
  ]) {
    it(`${args.join(' ')} -o json prints the created object as kubectl's typed client does`, async () => {
      const dash = args.includes('--') ? args.indexOf('--') : args.length;
      const run = (ns: string) => [...args.slice(0, dash), '-o', 'json', '-n', ns, ...args.slice(dash)].map((a) => a.replace('NS', ns));
      const real = await serve.real(run('real'));
      const ours = await serve.ours(run('ours'));
      expect(real.code).toBe(0);
      expect({ ...ours, stdout: normalise(ours.stdout, 'ours') }).toEqual({ ...real, stdout: normalise(real.stdout, 'real') });
    }, 30_000);
  }
});

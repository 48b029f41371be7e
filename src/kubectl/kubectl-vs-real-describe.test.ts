// `kubectl describe` for nodes and workloads: our kubectl against the real kubectl 1.32 binary on the same
// `npm run serve` cluster, byte for byte (event and pod ages normalised only if they ticked between runs).
// Skipped without the binary.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type Serving } from '../node/start-serve';
import { compareWithReal, ourKubectl, REAL_KUBECTL, until } from '../../test/serve-helpers';

const OBJECTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}, annotations: {note: hi}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: ticker
        image: docker.io/tabernetes/ticker
        args: ["1"]
        ports: [{containerPort: 8080, name: http}]
        env: [{name: A, value: "1"}, {name: P, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
        resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 250m, memory: 128Mi}}
        readinessProbe: {exec: {command: [sh, -c, "true"]}}
        volumeMounts: [{name: data, mountPath: /data}]
      volumes: [{name: data, emptyDir: {}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 1
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}, annotations: {x: "y"}}
    spec:
      terminationGracePeriodSeconds: 0
      containers: [{name: ticker, image: docker.io/tabernetes/ticker, args: ["1"]}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 0
      tolerations: [{operator: Exists}]
      containers: [{name: ticker, image: docker.io/tabernetes/ticker, args: ["1"]}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: hello, image: hello-world}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: idx}
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  ttlSecondsAfterFinished: 600
  activeDeadlineSeconds: 100
  template:
    spec:
      restartPolicy: Never
      containers: [{name: hello, image: hello-world}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: hello, image: hello-world, command: [echo, hi]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tz}
spec:
  schedule: "0 3 * * *"
  timeZone: Etc/UTC
  suspend: true
  startingDeadlineSeconds: 30
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      completions: 2
      parallelism: 1
      activeDeadlineSeconds: 60
      template:
        spec:
          restartPolicy: Never
          containers: [{name: hello, image: hello-world}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: vol}
spec:
  replicas: 0
  serviceName: vol
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}
  selector: {matchExpressions: [{key: app, operator: In, values: [vol, v2]}]}
  template:
    metadata: {labels: {app: vol}}
    spec:
      nodeSelector: {disk: ssd}
      topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: vol}}}]
      initContainers: [{name: init, image: busybox, command: [sh, -c, "echo a\\necho b"]}]
      containers: [{name: c, image: busybox, livenessProbe: {httpGet: {path: /healthz, port: 8080}}, startupProbe: {tcpSocket: {port: 99}}, envFrom: [{configMapRef: {name: cm}, prefix: P_}]}]
  volumeClaimTemplates:
  - metadata: {name: data, labels: {a: b, c: d}}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;

/** Blanks event ages and node pod ages, and collapses column padding (which follows the widest age). */
function normaliseDescribe(text: string): string[] {
  let inPods = false;
  return text.split('\n').map((line) => {
    if (line.startsWith('Non-terminated Pods:')) inPods = true;
    if (line.startsWith('Allocated resources:')) inPods = false;
    const cells = line.trim().split(/ {2,}/);
    if (/^ {2}(Normal|Warning) /.test(line)) cells[2] = '*';
    else if (inPods && line.startsWith('  ') && !line.startsWith('  Namespace') && !line.startsWith('  ---')) cells[cells.length - 1] = '*';
    return cells.join('|');
  });
}

let serving: Serving;
let dir: string;
let kubeconfig: string;

describe.skipIf(!REAL_KUBECTL)('kubectl describe matches kubectl 1.32 for nodes and workloads', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tabernetes-describe-'));
    kubeconfig = join(dir, 'kubeconfig');
    serving = await startServe({ port: 0, kubeconfig });
    const applied = await ourKubectl(serving.url, ['apply', '-f', '-'], OBJECTS);
    expect(applied.stderr).toBe('');
    const jsonpath = async (args: string[]) => (await ourKubectl(serving.url, ['get', ...args])).stdout;
    await until(async () => (await jsonpath(['deploy', 'web', '-o', 'jsonpath={.status.availableReplicas}'])) === '2', 'deployment web available', 60_000);
    await until(async () => (await jsonpath(['sts', 'db', '-o', 'jsonpath={.status.readyReplicas}'])) === '1', 'statefulset db ready', 60_000);
    await until(async () => (await jsonpath(['ds', 'agent', '-o', 'jsonpath={.status.numberAvailable}'])) === '3', 'daemonset agent available', 60_000);
    await until(async () => (await jsonpath(['job', 'once', 'idx', '-o', 'jsonpath={.items[*].status.succeeded}'])) === '1 3', 'jobs complete', 60_000);
    // A rollout that cannot finish (the image does not exist) leaves an old and a new replica set.
    await ourKubectl(serving.url, ['set', 'image', 'deploy/web', 'ticker=docker.io/tabernetes/ticker:nope']);
    await until(async () => (await jsonpath(['rs', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.replicas}'])).split(' ').length === 2, 'second replica set', 60_000);
    await until(async () => (await jsonpath(['deploy', 'web', '-o', 'jsonpath={.status.replicas}/{.status.updatedReplicas}'])) === '3/1', 'rollout stuck at 3/1', 60_000);
  }, 240_000);

  afterAll(async () => {
    await serving?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cases: string[][] = [
    ['describe', 'node', 'tabernetes-control-plane'],
    ['describe', 'nodes'],
    ['describe', 'node', 'tabernetes-worker', '--show-events=false'],
    ['describe', 'deploy', 'web'],
    ['describe', 'deployments.apps', '--show-events=false'],
    ['describe', 'rs', '-l', 'app=web'],
    ['describe', 'sts', 'db'],
    ['describe', 'sts', 'vol'],
    ['describe', 'ds/agent'],
    ['describe', 'job', 'once', 'idx'],
    ['describe', 'cronjobs'],
    ['describe', 'deploy', 'nope'],
    ['describe', 'node', 'nope'],
  ];
  for (const args of cases) {
    it(args.join(' '), async () => {
      const { real, ours, identical } = await compareWithReal(kubeconfig, serving.url, args);
      expect(ours.stderr).toBe(real.stderr);
      expect(ours.code).toBe(real.code);
      if (!identical) expect(normaliseDescribe(ours.stdout)).toEqual(normaliseDescribe(real.stdout));
    }, 30_000);
  }
});

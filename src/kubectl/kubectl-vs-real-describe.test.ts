// `kubectl describe` for nodes and workloads: our kubectl against the real kubectl 1.32 binary on the same
// `npm run serve` cluster, byte for byte (event and pod ages normalised only if they ticked between runs).
// Skipped without the binary.
import { afterAll, beforeAll, describe } from 'vitest';
import { itMatchesReal, REAL_KUBECTL, ServeFixture, until } from '../../test/serve-helpers';
import { READER_RBAC } from './testing/reader-rbac';
import { normaliseDescribe } from './testing/normalise-describe';

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
        readinessProbe: {exec: {command: [/ticker, "0.001", "1"]}}
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

/** Networking, storage, RBAC and policy kinds (quota and limits in their own namespace so they leave the workloads alone). */
const MORE_OBJECTS = `${READER_RBAC}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: nodes-reader}
rules:
- {apiGroups: [""], resources: [nodes], verbs: [get, list, watch]}
- {nonResourceURLs: [/healthz, /version], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: nodes-reader-binding}
subjects: [{kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}]
roleRef: {kind: ClusterRole, name: nodes-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: v1
kind: Service
metadata: {name: websvc}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing, annotations: {x: "y"}}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: websvc, port: {number: 80}}}
  tls: [{hosts: [a.example.com], secretName: tls-a}]
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: websvc, port: {name: http}}}}
      - {path: /api, pathType: Exact, backend: {service: {name: api, port: {number: 80}}}}
  - http:
      paths: [{path: /b, pathType: Prefix, backend: {resource: {apiGroup: example.com, kind: Bucket, name: b}}}]
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1, labels: {t: x}}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: slow
  hostPath: {path: /mnt/data, type: DirectoryOrCreate}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ghost}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ghost}
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}
  - {type: Resource, resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 60
      policies: [{type: Pods, value: 1, periodSeconds: 30}]
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: slow}
provisioner: example.com/slow
parameters: {type: pd-standard}
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
mountOptions: [debug]
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
description: "High priority"
---
apiVersion: v1
kind: Namespace
metadata: {name: quota-ns}
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: quota-ns}
spec:
  limits:
  - {type: Container, default: {cpu: 500m, memory: 256Mi}, defaultRequest: {cpu: 100m}, max: {cpu: "2"}, min: {cpu: 50m}}
  - {type: PersistentVolumeClaim, min: {storage: 1Gi}}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: quota-ns}
spec:
  hard: {pods: "10", requests.cpu: "4", limits.memory: 8Gi}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{podSelector: {matchLabels: {role: fe}}}, {namespaceSelector: {matchLabels: {team: x}}}, {ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
    ports: [{protocol: TCP, port: 80}]
  - {}
  egress: []
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: db}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc1}
spec:
  replicas: 1
  selector: {app: web}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 0
      containers: [{name: t, image: docker.io/tabernetes/ticker, args: ["1"], ports: [{containerPort: 8080, name: http}]}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  storageClassName: slow
---
apiVersion: v1
kind: Pod
metadata: {name: uses-data}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: t, image: docker.io/tabernetes/ticker, args: ["1"], volumeMounts: [{name: d, mountPath: /d}]}]
  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: lock}
spec: {holderIdentity: me, leaseDurationSeconds: 15}
`;

const serve = new ServeFixture('tabernetes-describe-', { apply: OBJECTS });

describe.skipIf(!REAL_KUBECTL)('kubectl describe matches kubectl 1.32 for nodes and workloads', () => {
  beforeAll(async () => {
    await serve.start();
    const jsonpath = async (args: string[]) => (await serve.ours(['get', ...args])).stdout;
    await until(async () => (await jsonpath(['deploy', 'web', '-o', 'jsonpath={.status.availableReplicas}'])) === '2', 'deployment web available', 60_000);
    await until(async () => (await jsonpath(['sts', 'db', '-o', 'jsonpath={.status.readyReplicas}'])) === '1', 'statefulset db ready', 60_000);
    await until(async () => (await jsonpath(['ds', 'agent', '-o', 'jsonpath={.status.numberAvailable}'])) === '3', 'daemonset agent available', 60_000);
    await until(async () => (await jsonpath(['job', 'once', 'idx', '-o', 'jsonpath={.items[*].status.succeeded}'])) === '1 3', 'jobs complete', 60_000);
    // A rollout that cannot finish (the image does not exist) leaves an old and a new replica set.
    await serve.ours(['set', 'image', 'deploy/web', 'ticker=docker.io/tabernetes/ticker:nope']);
    await until(async () => (await jsonpath(['rs', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.replicas}'])).split(' ').length === 2, 'second replica set', 60_000);
    await until(async () => (await jsonpath(['deploy', 'web', '-o', 'jsonpath={.status.replicas}/{.status.updatedReplicas}'])) === '3/1', 'rollout stuck at 3/1', 60_000);
  }, 240_000);

  afterAll(() => serve.stop());

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
  itMatchesReal(serve, cases, normaliseDescribe);
});

describe.skipIf(!REAL_KUBECTL)('kubectl describe matches kubectl 1.32 for networking, storage, RBAC and policy kinds', () => {
  const more = new ServeFixture('tabernetes-describe-more-', { apply: MORE_OBJECTS });
  beforeAll(async () => {
    await more.start();
    await until(async () => (await more.ours(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=websvc', '-o', 'name'])).stdout, 'websvc endpoint slice', 30_000);
  }, 60_000);

  afterAll(() => more.stop());

  const cases: string[][] = [
    ['describe', 'role', 'reader'],
    ['describe', 'rolebinding/read-pods'],
    ['describe', 'clusterrole', 'nodes-reader'],
    ['describe', 'clusterrolebinding', 'nodes-reader-binding'],
    ['describe', 'ingress', 'ing'],
    ['describe', 'pv', 'pv1'],
    ['describe', 'hpa', 'ghost'],
    ['describe', 'storageclass', 'slow'],
    ['describe', 'priorityclass', 'high'],
    ['describe', 'limits', '-n', 'quota-ns'],
    ['describe', 'quota', 'quota', '-n', 'quota-ns'],
    ['describe', 'netpol', 'np'],
    ['describe', 'pdb', 'pdb'],
    ['describe', 'ep', 'websvc'],
    ['describe', 'endpointslices', '-l', 'kubernetes.io/service-name=websvc'],
    ['describe', 'rc', 'rc1'],
    ['describe', 'pvc', 'data'],
    ['describe', 'lease', 'lock'],
  ];
  itMatchesReal(more, cases, normaliseDescribe);
});

// Issue 7 audit: one object of every common kind in namespace `audit`, then `get`, `get -o wide`,
// `get --show-labels`, `describe`, `get all`, custom-columns and --sort-by with our kubectl against the real
// kubectl 1.32 binary on the same `npm run serve` cluster, byte for byte (ages normalised only when they ticked
// between the two runs). Skipped without the binary.
import { afterAll, beforeAll, describe } from 'vitest';
import { itMatchesReal, normaliseAge, REAL_KUBECTL, ServeFixture, until } from '../../test/serve-helpers';
import { normaliseDescribe } from './testing/normalise-describe';
import { webDeployment } from './testing/web-deployment';

const NS = 'audit';

const OBJECTS = `apiVersion: v1
kind: Namespace
metadata: {name: ${NS}, labels: {team: a}}
---
apiVersion: v1
kind: Pod
metadata: {name: bb, namespace: ${NS}, labels: {app: bb}}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: bb, image: busybox, command: [sleep, "3600"], ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: stuck, namespace: ${NS}, labels: {app: stuck}}
spec:
  nodeSelector: {disk: none}
  containers: [{name: c, image: busybox}]
---
${webDeployment(NS, 1, '{terminationGracePeriodSeconds: 0, containers: [{name: t, image: docker.io/tabernetes/ticker, args: ["60"], ports: [{containerPort: 8080}]}]}')}---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs1, namespace: ${NS}, labels: {app: rs1}}
spec:
  replicas: 0
  selector: {matchLabels: {app: rs1}}
  template:
    metadata: {labels: {app: rs1}}
    spec: {containers: [{name: t, image: docker.io/tabernetes/ticker}]}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc1, namespace: ${NS}}
spec:
  replicas: 0
  selector: {app: rc1}
  template:
    metadata: {labels: {app: rc1}}
    spec: {containers: [{name: t, image: docker.io/tabernetes/ticker}]}
---
apiVersion: v1
kind: Service
metadata: {name: cip, namespace: ${NS}, labels: {app: web}}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: np, namespace: ${NS}}
spec: {type: NodePort, selector: {app: web}, ports: [{name: t, port: 81, targetPort: 8080, protocol: TCP}, {name: u, port: 53, protocol: UDP}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb, namespace: ${NS}}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 82, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: ${NS}}
spec: {type: ExternalName, externalName: example.com}
---
apiVersion: v1
kind: Service
metadata: {name: headless, namespace: ${NS}}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 8080}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: manual, namespace: ${NS}}
subsets: [{addresses: [{ip: 10.9.0.1}, {ip: 10.9.0.2}], ports: [{port: 80, name: http}]}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: manual-1, namespace: ${NS}, labels: {kubernetes.io/service-name: manual}}
addressType: IPv4
endpoints: [{addresses: [10.9.0.1], conditions: {ready: true}}, {addresses: [10.9.0.2], conditions: {ready: false}}]
ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, namespace: ${NS}, labels: {size: s}}
data: {a: "1", b: "two"}
binaryData: {bin: AAEC}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a10, namespace: ${NS}}
data: {s: x10}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a9, namespace: ${NS}}
data: {s: x9}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a009, namespace: ${NS}}
data: {s: 1Gi}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a00d, namespace: ${NS}}
data: {s: 500Mi}
---
apiVersion: v1
kind: Secret
metadata: {name: sec, namespace: ${NS}}
type: Opaque
data: {user: YWRtaW4=}
stringData: {pass: hunter2}
---
apiVersion: batch/v1
kind: Job
metadata: {name: job1, namespace: ${NS}}
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers: [{name: hello, image: hello-world}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj, namespace: ${NS}}
spec:
  schedule: "0 0 1 1 *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: hello, image: hello-world}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: sts, namespace: ${NS}}
spec:
  replicas: 0
  serviceName: headless
  selector: {matchLabels: {app: sts}}
  template:
    metadata: {labels: {app: sts}}
    spec: {containers: [{name: t, image: docker.io/tabernetes/ticker}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds, namespace: ${NS}}
spec:
  selector: {matchLabels: {app: ds}}
  template:
    metadata: {labels: {app: ds}}
    spec:
      nodeSelector: {disk: none}
      containers: [{name: t, image: docker.io/tabernetes/ticker}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing, namespace: ${NS}}
spec:
  ingressClassName: nginx
  tls: [{hosts: [a.example.com], secretName: tls-a}]
  rules:
  - host: a.example.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: cip, port: {number: 80}}}}]}
  - host: b.example.com
    http: {paths: [{path: /b, pathType: Exact, backend: {service: {name: cip, port: {name: http}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: ${NS}}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: audit-sc}
provisioner: example.com/none
reclaimPolicy: Delete
volumeBindingMode: Immediate
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: audit-pv}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteMany]
  storageClassName: manual
  hostPath: {path: /tmp/audit}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: claim, namespace: ${NS}}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: audit-sc}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: ${NS}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 3
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb, namespace: ${NS}}
spec: {minAvailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: audit-low}
value: 10
preemptionPolicy: Never
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q, namespace: ${NS}}
spec: {hard: {pods: "20", requests.memory: 4Gi}}
---
apiVersion: v1
kind: LimitRange
metadata: {name: lr, namespace: ${NS}}
spec: {limits: [{type: Container, defaultRequest: {memory: 32Mi}}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot, namespace: ${NS}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: ${NS}}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: ${NS}}
subjects: [{kind: ServiceAccount, name: robot, namespace: ${NS}}]
roleRef: {kind: Role, name: r, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: audit-cr}
rules: [{apiGroups: [""], resources: [nodes], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: audit-crb}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}, {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}]
roleRef: {kind: ClusterRole, name: audit-cr, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: lock, namespace: ${NS}}
spec: {holderIdentity: me, leaseDurationSeconds: 15}
---
apiVersion: v1
kind: Event
metadata: {name: audit-ev, namespace: ${NS}}
involvedObject: {kind: Pod, name: bb, namespace: ${NS}}
reason: Poked
message: poked by the audit
type: Warning
source: {component: audit}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: audit-vap}
spec:
  failurePolicy: Fail
  matchConstraints: {resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]}
  validations: [{expression: "object.spec.replicas <= 50", message: too many}]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: integer}, color: {type: string}}}}}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Color, type: string, jsonPath: .spec.color, priority: 1}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
`;

const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata: {name: w1, namespace: ${NS}, labels: {k: v}}
spec: {size: 3, color: red}
`;

/** [type, name] for every kind the audit creates; namespaced ones live in `audit`. */
const KINDS: [string, string][] = [
  ['pods', 'bb'],
  ['pods', 'stuck'],
  ['nodes', 'tabernetes-worker'],
  ['deployments', 'web'],
  ['replicasets', 'rs1'],
  ['replicationcontrollers', 'rc1'],
  ['services', 'cip'],
  ['services', 'np'],
  ['services', 'lb'],
  ['services', 'ext'],
  ['services', 'headless'],
  ['endpoints', 'manual'],
  ['endpointslices', 'manual-1'],
  ['configmaps', 'cm'],
  ['secrets', 'sec'],
  ['namespaces', NS],
  ['jobs', 'job1'],
  ['cronjobs', 'cj'],
  ['statefulsets', 'sts'],
  ['daemonsets', 'ds'],
  ['ingresses', 'ing'],
  ['ingressclasses', 'nginx'],
  ['networkpolicies', 'deny'],
  ['persistentvolumeclaims', 'claim'],
  ['persistentvolumes', 'audit-pv'],
  ['storageclasses', 'audit-sc'],
  ['horizontalpodautoscalers', 'web'],
  ['poddisruptionbudgets', 'pdb'],
  ['priorityclasses', 'audit-low'],
  ['resourcequotas', 'q'],
  ['limitranges', 'lr'],
  ['serviceaccounts', 'robot'],
  ['roles', 'r'],
  ['rolebindings', 'rb'],
  ['clusterroles', 'audit-cr'],
  ['clusterrolebindings', 'audit-crb'],
  ['leases', 'lock'],
  ['events', 'audit-ev'],
  ['widgets', 'w1'],
  ['validatingadmissionpolicies', 'audit-vap'],
];

/** Cluster-scoped types listed by name (their lists hold bootstrap objects whose number could change). */
const BY_NAME = new Set(['nodes', 'namespaces', 'ingressclasses', 'persistentvolumes', 'storageclasses', 'priorityclasses', 'clusterroles', 'clusterrolebindings', 'validatingadmissionpolicies']);

function getCases(): string[][] {
  const cases: string[][] = [];
  const types = [...new Set(KINDS.map(([t]) => t))];
  for (const t of types) {
    const names = KINDS.filter(([k]) => k === t).map(([, n]) => n);
    const target = BY_NAME.has(t) ? [t, ...names] : [t, '-n', NS];
    cases.push(['get', ...target], ['get', ...target, '-o', 'wide'], ['get', ...target, '--show-labels']);
  }
  return cases;
}

/** Types whose describe output lists map entries in Go's random map order. */
const MAP_ORDER = new Set(['configmaps', 'secrets']);

const serve = new ServeFixture('tabernetes-audit-', { apply: OBJECTS });

describe.skipIf(!REAL_KUBECTL)('kubectl 1.32 audit: get and describe of every common kind', () => {
  beforeAll(async () => {
    await serve.start();
    const jp = async (args: string[]) => (await serve.ours(['get', ...args])).stdout;
    await until(async () => (await jp(['crd', 'widgets.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}'])) === 'True', 'crd established', 30_000);
    const r = await serve.ours(['apply', '-f', '-'], WIDGET);
    if (r.stderr) throw new Error(r.stderr);
    await until(async () => (await jp(['pod', 'bb', '-n', NS, '-o', 'jsonpath={.status.phase}'])) === 'Running', 'pod bb running', 60_000);
    await until(async () => (await jp(['deploy', 'web', '-n', NS, '-o', 'jsonpath={.status.availableReplicas}'])) === '1', 'deployment web available', 60_000);
    await until(async () => (await jp(['pod', 'stuck', '-n', NS, '-o', 'jsonpath={.status.conditions[0].reason}'])) === 'Unschedulable', 'pod stuck unschedulable', 30_000);
    await until(async () => (await jp(['endpointslices', '-n', NS, '-l', 'kubernetes.io/service-name=cip', '-o', 'name'])), 'cip endpoint slice', 30_000);
  }, 180_000);

  afterAll(() => serve.stop());

  itMatchesReal(serve, getCases());
  const describeArgs = (t: string, n: string) => ['describe', t, n, ...(BY_NAME.has(t) ? [] : ['-n', NS])];
  itMatchesReal(serve, KINDS.filter(([t]) => !MAP_ORDER.has(t)).map(([t, n]) => describeArgs(t, n)), normaliseDescribe);
  // kubectl prints ConfigMap and Secret data in Go map order (random per run): compared as sorted lines.
  itMatchesReal(serve, [
    ['describe', 'crd', 'widgets.example.com'],
    ['describe', 'pods', '-n', NS],
    ['describe', 'svc', '-n', NS],
    ['describe', 'sa', 'default', '-n', NS],
    ['describe', 'node', 'tabernetes-control-plane'],
    ['describe', 'deploy,rs', '-n', NS, '-l', 'app=web'],
  ], normaliseDescribe);
  itMatchesReal(serve, KINDS.filter(([t]) => MAP_ORDER.has(t)).map(([t, n]) => describeArgs(t, n)), (text) => normaliseDescribe(text).sort());
  itMatchesReal(serve, [
    ['get', 'all', '-n', NS],
    ['get', 'all', '-n', NS, '-o', 'wide'],
    ['get', 'pods,svc,cm', '-n', NS, '-o', 'custom-columns=KIND:.kind,NAME:.metadata.name,NS:.metadata.namespace'],
    ['get', 'svc', '-n', NS, '-o', 'custom-columns=NAME:.metadata.name,TYPE:.spec.type,PORTS:.spec.ports[*].port', '--sort-by=.spec.type'],
    ['get', 'pods', '-n', NS, '-o', 'custom-columns=NAME:.metadata.name,PHASE:.status.phase,NODE:.spec.nodeName'],
    ['get', 'svc', '-n', NS, '--sort-by=.spec.clusterIP'],
    ['get', 'svc', '-n', NS, '--sort-by=.metadata.name', '-o', 'wide'],
    ['get', 'pods', '-n', NS, '--sort-by=.status.phase'],
    ['get', 'events', '-n', NS, '--sort-by=.metadata.creationTimestamp'],
    ['get', 'widgets', '-n', NS, '--sort-by=.spec.size', '-o', 'wide'],
    ['get', 'widgets', '-n', NS, '-o', 'custom-columns=NAME:.metadata.name,SIZE:.spec.size,COLOR:.spec.color'],
    ['get', 'crd', 'widgets.example.com'],
    ['get', 'pods', '-A', '-o', 'wide'],
    ['get', 'svc', '-A'],
    ['get', 'all', '-A'],
    ['get', 'ns'],
    ['get', 'leases', '-A'],
    ['get', 'ep,endpointslices', '-A'],
    ['get', 'deploy,rs,pods', '-n', NS, '-o', 'wide', '--show-labels'],
    ['get', 'pods', '-n', NS, '--no-headers', '-L', 'app'],
    ['get', 'events', '-n', NS, '-o', 'wide'],
    ['get', 'serviceaccounts,roles,rolebindings', '-n', NS],
    ['get', 'pv,pvc', '-A'],
    ['get', 'nodes', '--sort-by=.metadata.name', '--show-labels'],
    // Several Tables are sorted as objects: a field a Table lacks is kubectl's error, one it has sorts rows too.
    // Strings compare bytewise (a10 before a9), quantities by value; more than 12 rows go through Go's pdqsort.
    ['get', 'cm', '-n', NS, '--sort-by=.metadata.name', '-o', 'name'],
    ['get', 'cm', '-n', NS, '--sort-by=.data.s'],
    ['get', 'events', '-n', NS, '--sort-by=.metadata.name'],
    ['get', 'events', '-n', NS, '--sort-by=.type', '-o', 'name'],
    // "No resources found" once per command line, naming the namespace unless -A (even for cluster-scoped types).
    ['describe', 'pv', '-l', 'x=y'],
    ['describe', 'pods,cm', '-n', NS, '-l', 'x=y'],
    ['describe', 'pv', '-A', '-l', 'x=y'],
    ['describe', 'svc', 'lb', 'ext', '-n', NS],
    ['get', 'cm,secrets', '-n', NS, '--sort-by=.metadata.name'],
    ['get', 'cm', 'cm', 'kube-root-ca.crt', '-n', NS, '--sort-by=.metadata.name'],
    ['get', 'cm,secrets', '-n', NS, '--sort-by=.kind'],
    ['get', 'cm,secrets', '-n', NS, '--sort-by=.metadata.name', '-o', 'name'],
    ['get', 'all', '-n', NS, '--sort-by=.metadata.creationTimestamp'],
  ], normaliseAge);
});

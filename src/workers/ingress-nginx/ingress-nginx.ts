import type { Deployment } from 'kubernetes-types/apps/v1';
import type { ConfigMap, Pod, Service } from 'kubernetes-types/core/v1';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1';
import type { Clock } from '../../api/clock';
import { DisposableStore, toDisposable, type Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import { ConfigMaps, Deployments, IngressClasses, Ingresses, Namespaces, Pods, Services, type ResourceRef } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import { runController } from '../../client/controller';
import { createEventRecorder } from '../../client/event-recorder';
import { SharedInformerFactory } from '../../client/informer';
import { createWorkQueue } from '../../client/workqueue';
import * as m from './ingress-manifests';
import { buildNginxConf } from './nginx-conf';

export interface IngressNginxOptions {
  client: ApiClient;
  clock: Clock;
  ids: IdSource;
  /** Log lines (TLS notes, reconcile errors); default console.log. */
  log?: (msg: string) => void;
  /** Give the controller Deployment its /healthz probes (default true; tests on a FakeClock turn them off). */
  probes?: boolean;
}

export interface IngressNginx extends Disposable {
  /** Resolves once the informers synced and the first reconcile ran (rejects never; errors are retried). */
  ready: Promise<void>;
  /** The nginx.conf last written to the ConfigMap. */
  conf(): string;
}

const KEY = 'ingress-nginx';

/** FNV-1a (32 bit) of s, hex: a change marker, not a security hash. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** Whether this controller serves ing: class `tabernetes`, the legacy annotation, or no class while ours is the default. */
export function servesIngress(ing: Ingress, classes: IngressClass[]): boolean {
  const cls = ing.spec?.ingressClassName ?? ing.metadata?.annotations?.['kubernetes.io/ingress.class'];
  if (cls) return cls === m.INGRESS_CLASS;
  const ours = classes.find((c) => c.metadata?.name === m.INGRESS_CLASS);
  return ours?.metadata?.annotations?.[m.DEFAULT_CLASS_ANNOTATION] === 'true';
}

/**
 * ingress-nginx's Kubernetes side (the part of /nginx-ingress-controller that talks to the apiserver), run
 * beside kube-proxy. One level-based reconcile (every informer event enqueues the one key) that:
 * ensures namespace ingress-nginx, IngressClass `tabernetes` (default), Service ingress-nginx-controller
 * (LoadBalancer 80/443), the conf ConfigMap and the controller Deployment (created when absent, reset when
 * replicas, image or args drift); writes the generated nginx.conf into the ConfigMap and stamps its hash on the
 * controller pods (so the kubelet refreshes the mounted file, which the pod's nginx reloads within a second);
 * sets each served Ingress's status.loadBalancer to the Service's LB IP; records `Normal Sync … Scheduled for
 * sync` once per Ingress generation. Errors requeue with the workqueue's rate limit.
 */
export function startIngressNginx(opts: IngressNginxOptions): IngressNginx {
  const { client, clock } = opts;
  const log = opts.log ?? ((s: string) => console.log(s));
  const root = new DisposableStore();
  const factory = root.add(new SharedInformerFactory(client, clock));
  const ingInf = factory.informerFor<Ingress>(Ingresses);
  const svcInf = factory.informerFor<Service>(Services);
  const classInf = factory.informerFor<IngressClass>(IngressClasses);
  const ns = { namespace: m.INGRESS_NAMESPACE };
  const cmInf = factory.informerFor<ConfigMap>(ConfigMaps, ns);
  const depInf = factory.informerFor<Deployment>(Deployments, ns);
  const podInf = factory.informerFor<Pod>(Pods, ns);
  const recorder = createEventRecorder(client, clock, opts.ids, { component: 'nginx-ingress-controller' });
  const queue = createWorkQueue<string>(clock);
  root.add(toDisposable(() => queue.shutDown()));
  const synced = new Map<string, string>(); // ingress uid → generation that got its Sync event
  const tlsNoted = new Set<string>();
  let lastConf = '';

  const ensure = async <T>(ref: ResourceRef, obj: T & { metadata?: { name?: string; namespace?: string } }) => {
    try {
      await client.create(ref, obj, obj.metadata?.namespace);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409)) throw err;
    }
  };

  const reconcile = async () => {
    const classes = classInf.lister().list();
    if (!classes.some((c) => c.metadata?.name === m.INGRESS_CLASS)) await ensure(IngressClasses, m.ingressClass());
    const svc = svcInf.lister().get(`${m.INGRESS_NAMESPACE}/${m.CONTROLLER_NAME}`);
    const cm = cmInf.lister().get(`${m.INGRESS_NAMESPACE}/${m.CONF_CONFIGMAP}`);
    const dep = depInf.lister().get(`${m.INGRESS_NAMESPACE}/${m.CONTROLLER_NAME}`);
    if (!svc || !cm || !dep) await ensure(Namespaces, m.ingressNamespace());
    const wantSvc = m.controllerService();
    if (!svc) await ensure(Services, wantSvc);
    else if (svc.spec?.type !== 'LoadBalancer' || JSON.stringify(svc.spec.ports?.map((p) => [p.name, p.port, p.targetPort])) !== JSON.stringify(wantSvc.spec!.ports!.map((p) => [p.name, p.port, p.targetPort]))) {
      const ports = wantSvc.spec!.ports!.map((p) => ({ ...p, nodePort: svc.spec?.ports?.find((o) => o.name === p.name)?.nodePort }));
      await client.update(Services, { ...svc, spec: { ...svc.spec, type: 'LoadBalancer', ports, selector: wantSvc.spec!.selector } });
    }
    const served = ingInf.lister().list().filter((i) => servesIngress(i, classes));
    const conf = buildNginxConf(served, svcInf.lister().list());
    if (!cm) await ensure(ConfigMaps, m.confConfigMap(conf));
    else if (cm.data?.['nginx.conf'] !== conf) await client.update(ConfigMaps, { ...cm, data: { ...cm.data, 'nginx.conf': conf } });
    lastConf = conf;

    const want = m.controllerDeployment(opts.probes ?? true);
    if (!dep) await ensure(Deployments, want);
    else {
      const c = dep.spec?.template.spec?.containers?.[0];
      const w = want.spec!.template.spec!.containers[0];
      if (dep.spec?.replicas !== 1 || c?.image !== w.image || JSON.stringify(c?.args) !== JSON.stringify(w.args)) {
        await client.update(Deployments, { ...dep, spec: { ...dep.spec!, replicas: 1, template: { ...dep.spec!.template, spec: { ...dep.spec!.template.spec!, containers: [{ ...c!, image: w.image, args: w.args }] } } } });
      }
    }

    const hash = fnv(conf);
    for (const pod of podInf.lister().list(m.INGRESS_NAMESPACE, 'app.kubernetes.io/component=controller')) {
      if (pod.metadata?.deletionTimestamp || pod.metadata?.annotations?.[m.CONF_HASH_ANNOTATION] === hash) continue;
      await client.patch(Pods, pod.metadata!.name!, m.INGRESS_NAMESPACE, 'merge', { metadata: { annotations: { [m.CONF_HASH_ANNOTATION]: hash } } }).catch((err) => {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      });
    }

    const lbIp = svc?.status?.loadBalancer?.ingress?.[0]?.ip;
    const live = new Set(served.map((i) => i.metadata?.uid ?? ''));
    for (const uid of synced.keys()) if (!live.has(uid)) synced.delete(uid);
    for (const gen of tlsNoted) if (!live.has(gen.split('/')[0])) tlsNoted.delete(gen);
    for (const ing of served) {
      const id = `${ing.metadata?.namespace}/${ing.metadata?.name}`;
      const gen = `${ing.metadata?.uid}/${ing.metadata?.generation}`;
      if (synced.get(ing.metadata?.uid ?? '') !== gen) {
        synced.set(ing.metadata?.uid ?? '', gen);
        recorder.event({ kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', metadata: ing.metadata }, 'Normal', 'Sync', 'Scheduled for sync');
      }
      if (ing.spec?.tls?.length && !tlsNoted.has(gen)) {
        tlsNoted.add(gen);
        log(`ingress-nginx: Ingress ${id}: TLS for ${ing.spec.tls.flatMap((t) => t.hosts ?? []).join(', ') || 'all hosts'} is accepted and served as plain HTTP (no TLS in the tab)`);
      }
      const cur = ing.status?.loadBalancer?.ingress ?? [];
      if (lbIp && !(cur.length === 1 && cur[0].ip === lbIp)) {
        await client.update(Ingresses, { ...ing, status: { loadBalancer: { ingress: [{ ip: lbIp }] } } }, 'status').catch((err) => {
          if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
          if (err.code === 409) queue.add(KEY);
        });
      }
    }
  };

  const enqueue = () => queue.add(KEY);
  const handler = { onAdd: enqueue, onUpdate: enqueue, onDelete: enqueue };
  for (const inf of [ingInf, svcInf, classInf, cmInf, depInf, podInf]) root.add(inf.addEventHandler(handler));
  factory.start();
  let first: (() => void) | undefined;
  const firstDone = new Promise<void>((r) => (first = r));
  const ready = factory.waitForCacheSync().then(() => {
    root.add(runController({
      name: 'ingress-nginx',
      queue,
      clock,
      reconcile: async (k) => {
        try {
          await reconcile();
        } finally {
          first?.();
          first = undefined;
        }
        void k;
      },
      onError: (_k, err) => log(`ingress-nginx: sync: ${(err as Error).message}`),
    }));
    enqueue();
    return firstDone;
  });
  ready.catch(() => undefined);
  return { ready, conf: () => lastConf, dispose: () => root.dispose() };
}

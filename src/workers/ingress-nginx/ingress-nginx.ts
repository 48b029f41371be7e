import type { Deployment } from 'kubernetes-types/apps/v1';
import type { ConfigMap, Pod, Service } from 'kubernetes-types/core/v1';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1';
import type { Clock } from '../../api/clock';
import { DisposableStore, toDisposable, type Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import { ConfigMaps, Deployments, IngressClasses, Ingresses, Namespaces, Pods, Services, type ResourceRef } from '../../api/resources';
import { ApiError } from '../../api/status';
import { ApiClient } from '../../client/api-client';
import { runController } from '../../client/controller';
import { createEventRecorder } from '../../client/event-recorder';
import { SharedInformerFactory } from '../../client/informer';
import { createWorkQueue } from '../../client/workqueue';
import { serviceAccountTransport } from '../../client/service-account-credentials';
import * as m from './ingress-manifests';
import { controllerIdentityObjects, SERVICE_ACCOUNT } from './ingress-rbac';
import { buildNginxConf } from './nginx-conf';

export interface IngressNginxOptions {
  /**
   * The installer's connection (kubectl apply of the deploy manifest: an admin): it creates and keeps in place the
   * namespace, the controller's ServiceAccount and RBAC, IngressClass, Service, conf ConfigMap and Deployment. The
   * controller itself talks through client.transport with ServiceAccount ingress-nginx/ingress-nginx's tokens.
   */
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
export const CONTROLLER_USER_AGENT = 'nginx-ingress-controller/v1.11.3 (tabernetes)';

/** FNV-1a (32 bit) of s, hex: a change marker, not a security hash. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * The conf stamp a controller pod should carry: `<conf hash>/<restartCount>/<startedAt>` of its running
 * controller container; undefined while that container is not running (its first mount, still to come, reads
 * the ConfigMap as it is then). Stamping only a running container, and again after each (re)start, means
 * every stamp change reaches a mounted volume: the pod update makes the kubelet rewrite the ConfigMap volume
 * at once (not at its 60 s resync), and nginx reloads the changed file within a second.
 */
export function confStamp(pod: Pod, hash: string): string | undefined {
  const c = pod.status?.containerStatuses?.find((s) => s.name === 'controller');
  const started = c?.state?.running?.startedAt;
  return started ? `${hash}/${c?.restartCount ?? 0}/${started}` : undefined;
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
 * beside kube-proxy. One level-based reconcile (every informer event enqueues the one key) in two parts:
 * - as the installer (opts.client, an admin): ensures namespace ingress-nginx, the controller's ServiceAccount,
 *   ClusterRole/Role/bindings (ingress-rbac.ts), IngressClass `tabernetes` (default), Service
 *   ingress-nginx-controller (LoadBalancer 80/443), the conf ConfigMap and the controller Deployment (created when
 *   absent, reset when replicas, image or args drift);
 * - as system:serviceaccount:ingress-nginx:ingress-nginx (its informers start once its RBAC exists): writes the
 *   generated nginx.conf into the ConfigMap and, once a controller pod's container runs, stamps the conf's hash on
 *   it (confStamp: the pod update makes the kubelet refresh the mounted file at once, which the pod's nginx
 *   reloads within a second; a stamp before the first mount would be lost, so none is made then); sets each served Ingress's
 *   status.loadBalancer to the Service's LB IP; records `Normal Sync … Scheduled for sync` once per Ingress generation.
 * Errors (a 403 included) requeue with the workqueue's rate limit.
 */
export function startIngressNginx(opts: IngressNginxOptions): IngressNginx {
  const { client: installer, clock } = opts;
  const client = new ApiClient(serviceAccountTransport({ transport: installer.transport, clock, namespace: m.INGRESS_NAMESPACE, name: SERVICE_ACCOUNT }), CONTROLLER_USER_AGENT);
  const log = opts.log ?? ((s: string) => console.log(s));
  const root = new DisposableStore();
  const ns = { namespace: m.INGRESS_NAMESPACE };
  // The installer's view: only what it owns.
  const own = root.add(new SharedInformerFactory(installer, clock));
  const ownClassInf = own.informerFor<IngressClass>(IngressClasses);
  const ownSvcInf = own.informerFor<Service>(Services, ns);
  const ownCmInf = own.informerFor<ConfigMap>(ConfigMaps, ns);
  const depInf = own.informerFor<Deployment>(Deployments, ns);
  // The controller's view, through its ServiceAccount.
  const factory = root.add(new SharedInformerFactory(client, clock));
  const ingInf = factory.informerFor<Ingress>(Ingresses);
  const svcInf = factory.informerFor<Service>(Services);
  const classInf = factory.informerFor<IngressClass>(IngressClasses);
  const cmInf = factory.informerFor<ConfigMap>(ConfigMaps, ns);
  const podInf = factory.informerFor<Pod>(Pods, ns);
  const recorder = root.add(createEventRecorder(client, clock, opts.ids, { component: 'nginx-ingress-controller' }));
  const queue = createWorkQueue<string>(clock);
  root.add(toDisposable(() => queue.shutDown()));
  const synced = new Map<string, string>(); // ingress uid → generation that got its Sync event
  const tlsNoted = new Set<string>();
  let lastConf = '';
  let identityInstalled = false;
  let controllerState: 'stopped' | 'syncing' | 'synced' = 'stopped';

  const ensure = async <T>(ref: ResourceRef, obj: T & { metadata?: { name?: string; namespace?: string } }) => {
    try {
      await installer.create(ref, obj, obj.metadata?.namespace);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409)) throw err;
    }
  };

  const install = async () => {
    const svc = ownSvcInf.lister().get(`${m.INGRESS_NAMESPACE}/${m.CONTROLLER_NAME}`);
    const cm = ownCmInf.lister().get(`${m.INGRESS_NAMESPACE}/${m.CONF_CONFIGMAP}`);
    const dep = depInf.lister().get(`${m.INGRESS_NAMESPACE}/${m.CONTROLLER_NAME}`);
    if (!identityInstalled || !svc || !cm || !dep) await ensure(Namespaces, m.ingressNamespace());
    if (!identityInstalled || !dep) {
      for (const [ref, obj] of controllerIdentityObjects()) await ensure(ref, obj);
      identityInstalled = true;
    }
    if (!ownClassInf.lister().list().some((c) => c.metadata?.name === m.INGRESS_CLASS)) await ensure(IngressClasses, m.ingressClass());
    const wantSvc = m.controllerService();
    if (!svc) await ensure(Services, wantSvc);
    else if (svc.spec?.type !== 'LoadBalancer' || JSON.stringify(svc.spec.ports?.map((p) => [p.name, p.port, p.targetPort])) !== JSON.stringify(wantSvc.spec!.ports!.map((p) => [p.name, p.port, p.targetPort]))) {
      const ports = wantSvc.spec!.ports!.map((p) => ({ ...p, nodePort: svc.spec?.ports?.find((o) => o.name === p.name)?.nodePort }));
      await installer.update(Services, { ...svc, spec: { ...svc.spec, type: 'LoadBalancer', ports, selector: wantSvc.spec!.selector } });
    }
    if (!cm) await ensure(ConfigMaps, m.confConfigMap(buildNginxConf([], [])));
    const want = m.controllerDeployment(opts.probes ?? true);
    if (!dep) await ensure(Deployments, want);
    else {
      const c = dep.spec?.template.spec?.containers?.[0];
      const w = want.spec!.template.spec!.containers[0];
      if (dep.spec?.replicas !== 1 || c?.image !== w.image || JSON.stringify(c?.args) !== JSON.stringify(w.args)) {
        await installer.update(Deployments, { ...dep, spec: { ...dep.spec!, replicas: 1, template: { ...dep.spec!.template, spec: { ...dep.spec!.template.spec!, containers: [{ ...c!, image: w.image, args: w.args }] } } } });
      }
    }
  };

  const sync = async () => {
    const classes = classInf.lister().list();
    const svc = svcInf.lister().get(`${m.INGRESS_NAMESPACE}/${m.CONTROLLER_NAME}`);
    const cm = cmInf.lister().get(`${m.INGRESS_NAMESPACE}/${m.CONF_CONFIGMAP}`);
    const served = ingInf.lister().list().filter((i) => servesIngress(i, classes));
    const conf = buildNginxConf(served, svcInf.lister().list());
    if (cm && cm.data?.['nginx.conf'] !== conf) await client.update(ConfigMaps, { ...cm, data: { ...cm.data, 'nginx.conf': conf } });
    if (cm) lastConf = conf;
    const hash = fnv(conf);
    for (const pod of podInf.lister().list(m.INGRESS_NAMESPACE, 'app.kubernetes.io/component=controller')) {
      const stamp = confStamp(pod, hash);
      if (pod.metadata?.deletionTimestamp || stamp === undefined || pod.metadata?.annotations?.[m.CONF_HASH_ANNOTATION] === stamp) continue;
      await client.patch(Pods, pod.metadata!.name!, m.INGRESS_NAMESPACE, 'merge', { metadata: { annotations: { [m.CONF_HASH_ANNOTATION]: stamp } } }).catch((err) => {
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
  for (const inf of [ownClassInf, ownSvcInf, ownCmInf, depInf, ingInf, svcInf, classInf, cmInf, podInf]) root.add(inf.addEventHandler(handler));
  own.start();
  let first: (() => void) | undefined;
  const firstDone = new Promise<void>((r) => (first = r));
  const ready = own.waitForCacheSync().then(() => {
    root.add(runController({
      name: 'ingress-nginx',
      queue,
      clock,
      reconcile: async () => {
        await install();
        if (controllerState === 'stopped') {
          // Its RBAC exists now: start the controller's informers (their sync enqueues the key again).
          controllerState = 'syncing';
          factory.start();
          void factory.waitForCacheSync().then(() => {
            controllerState = 'synced';
            enqueue();
          }, () => undefined);
        }
        if (controllerState !== 'synced') return;
        try {
          await sync();
        } finally {
          first?.();
          first = undefined;
        }
      },
      onError: (_k, err) => log(`ingress-nginx: sync: ${(err as Error).message}`),
    }));
    enqueue();
    return firstDone;
  });
  ready.catch(() => undefined);
  return { ready, conf: () => lastConf, dispose: () => root.dispose() };
}

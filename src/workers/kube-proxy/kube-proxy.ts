import type { Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { Clock } from '../../api/clock';
import { DisposableStore, toDisposable, type Disposable } from '../../api/disposable';
import { EndpointSlices, Namespaces, NetworkPolicies, Nodes, Pods, Services } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import { createSharedInformer, SharedInformerFactory, type SharedInformer } from '../../client/informer';
import type { NetworkFabric } from '../../network/network-fabric';
import type { PolicyTableData } from '../../network/policy-table';
import type { ServiceTableData } from '../../network/service-table';
import { HealthCheckServer } from './health-check-server';
import { ensureKubeDnsService } from './kube-dns-addon';
import { assignLoadBalancerIps } from './lb-ips';
import { buildPolicyTable } from './network-policy-rules';
import { buildServiceTable } from './service-rules';

export interface KubeProxyOptions {
  client: ApiClient;
  clock: Clock;
  /** The cluster's fabric; its service table is what this component writes. */
  fabric: NetworkFabric;
  /** Where sync errors go (default console.error). */
  log?: (msg: string) => void;
  /** Create kube-system/kube-dns at start when absent (kubeadm's CoreDNS addon); default true. */
  kubeDnsService?: boolean;
  /** --cluster-cidr: ClusterIP clients outside it are masqueraded; default DEFAULT_CLUSTER_CIDR (kind's), "" for none. */
  clusterCidr?: string;
}

export interface KubeProxy extends Disposable {
  /** Resolves once the informers synced and the first table is published. */
  ready: Promise<void>;
  /** The last published table (tests, debugging). */
  table(): ServiceTableData;
  /** How many tables were published. */
  syncs(): number;
  /** The last published NetworkPolicy table (tests, debugging). */
  policyTable(): PolicyTableData;
}

/**
 * The cluster's kube-proxy and CoreDNS data plane in one component: watches Services, EndpointSlices and
 * Nodes and republishes the fabric's service table (buildServiceTable) in a microtask after any change, so
 * an endpoint turning unready leaves rotation in the same tick its EndpointSlice update arrives. It also acts
 * as the LoadBalancer controller (MetalLB's role): LoadBalancer Services get status.loadBalancer.ingress from
 * LB_POOL (a failed status write is retried at the next change or after 5 s). At start it creates the
 * kube-system/kube-dns Service (10.96.0.10) when absent, as kubeadm's CoreDNS addon does, and serves the
 * healthCheckNodePort of LoadBalancer Services with externalTrafficPolicy Local (health-check-server.ts).
 * It also renders NetworkPolicies (with Pods, Namespaces and Nodes) into the fabric's policy table
 * (buildPolicyTable, Calico's role), republished in the same microtask; a fabric without a policy table
 * enforces nothing. Pods matter to that table only while a NetworkPolicy exists, so the Pod informer (the
 * cluster's busiest watch) runs only then: it starts with the first policy (the table including the new
 * policy is published once it has listed the pods) and stops when the last one is deleted. One per cluster:
 * the tables live in the one shared fabric, which every node's containers read.
 */
export function startKubeProxy(opts: KubeProxyOptions): KubeProxy {
  const { client, clock, fabric } = opts;
  const log = opts.log ?? ((m: string) => console.error(m));
  const services = fabric.services;
  if (!services) throw new Error('the network fabric has no service table');
  const root = new DisposableStore();
  const factory = root.add(new SharedInformerFactory(client, clock));
  const svcInf = factory.informerFor<Service>(Services);
  const sliceInf = factory.informerFor<EndpointSlice>(EndpointSlices);
  const nodeInf = factory.informerFor<Node>(Nodes);
  const policyTable = fabric.policies;
  const polInf = policyTable ? factory.informerFor<NetworkPolicy>(NetworkPolicies) : undefined;
  let podInf: SharedInformer<Pod> | undefined;
  const nsInf = policyTable ? factory.informerFor<Namespace>(Namespaces) : undefined;
  let last: ServiceTableData = { rules: {}, dns: {} };
  let lastPolicies: PolicyTableData = { sets: [], pods: {}, named: {} };
  let lastPolicyJson = '';
  let count = 0;
  let scheduled = false;
  let svcDirty = true;
  let polDirty = true;
  let disposed = false;
  let synced = false;
  const assigning = new Set<string>();
  const healthChecks = root.add(new HealthCheckServer(fabric, clock, log));

  const sync = () => {
    scheduled = false;
    if (disposed || !synced) return;
    if (polDirty) syncPolicies();
    if (!svcDirty) return;
    svcDirty = false;
    const svcs = svcInf.lister().list();
    last = buildServiceTable(svcs, sliceInf.lister().list(), nodeInf.lister().list(), opts.clusterCidr !== undefined ? { clusterCidr: opts.clusterCidr } : {});
    healthChecks.sync(svcs, sliceInf.lister().list(), nodeInf.lister().list());
    try {
      services.publish(last);
      count++;
    } catch (err) {
      log(`kube-proxy: ${(err as Error).message}`);
    }
    for (const { service, ip } of assignLoadBalancerIps(svcs)) void assignIp(service, ip);
  };
  /** Republishes the policy table only when its content changed (pod status churn mostly changes nothing). */
  const syncPolicies = () => {
    polDirty = false;
    if (policyTable && polInf && nsInf) {
      const policies = polInf.lister().list();
      if (!policies.length) stopPods();
      const pods = policies.length ? startPods() : undefined;
      if (pods && !pods.hasSynced()) return; // its first list schedules this again
      const next = pods ? buildPolicyTable(policies, pods.lister().list(), nsInf.lister().list(), nodeInf.lister().list()) : { sets: [], pods: {}, named: {} };
      const json = JSON.stringify(next);
      if (json !== lastPolicyJson) {
        try {
          policyTable.publish(next);
          lastPolicies = next;
          lastPolicyJson = json;
        } catch (err) {
          log(`kube-proxy: ${(err as Error).message}`);
        }
      }
    }
  };
  const schedule = () => {
    svcDirty = true;
    polDirty = true;
    later();
  };
  const schedulePolicies = () => {
    polDirty = true;
    later();
  };
  const polHandler = { onAdd: schedulePolicies, onUpdate: schedulePolicies, onDelete: schedulePolicies };
  const startPods = (): SharedInformer<Pod> => {
    if (podInf) return podInf;
    const inf = (podInf = createSharedInformer<Pod>(client, clock, Pods));
    inf.addEventHandler(polHandler);
    inf.run();
    inf.synced().then(schedulePolicies, () => undefined);
    return inf;
  };
  const stopPods = () => {
    podInf?.dispose();
    podInf = undefined;
  };
  root.add(toDisposable(stopPods));
  const later = () => {
    if (scheduled || disposed) return;
    scheduled = true;
    queueMicrotask(sync);
  };

  const assignIp = async (service: Service, ip: string) => {
    const key = `${service.metadata?.namespace}/${service.metadata?.name}`;
    if (assigning.has(key)) return;
    assigning.add(key);
    try {
      await client.update(Services, { ...service, status: { ...service.status, loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } } }, 'status');
    } catch (err) {
      log(`kube-proxy: assigning ${ip} to service ${key}: ${(err as Error).message}`);
      const timer = clock.after(5000, schedule);
      root.add(timer);
    } finally {
      assigning.delete(key);
    }
  };

  const handler = { onAdd: schedule, onUpdate: schedule, onDelete: schedule };
  root.add(svcInf.addEventHandler(handler));
  root.add(sliceInf.addEventHandler(handler));
  root.add(nodeInf.addEventHandler(handler));
  for (const inf of [polInf, nsInf]) if (inf) root.add(inf.addEventHandler(polHandler));
  factory.start();
  const addon = opts.kubeDnsService === false ? Promise.resolve() : ensureKubeDnsService(client).catch((err: Error) => log(`kube-proxy: creating the kube-dns Service: ${err.message}`));
  const ready = Promise.all([factory.waitForCacheSync(), addon]).then(async () => {
    // Policies already stored: the first policy table waits for the pods, as it did before they were lazy.
    if (polInf?.lister().list().length) await startPods().synced().catch(() => undefined);
    synced = true;
    sync();
  });
  ready.catch(() => undefined);
  root.add(toDisposable(() => (disposed = true)));
  return { ready, table: () => last, syncs: () => count, policyTable: () => lastPolicies, dispose: () => root.dispose() };
}

import type { Pod } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import { ConfigMaps, Secrets, type ResourceRef } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import { createSharedInformer, type KubeObject, type SharedInformer } from '../../client/informer';

/**
 * Reads a ConfigMap or Secret for a pod: undefined when it does not exist; any other failure rejects with
 * the words the kubelet reports (CreateContainerConfigError / FailedMount).
 */
export interface ObjectReader {
  get<T>(ref: ResourceRef, namespace: string, name: string): Promise<T | undefined>;
}

/** client.get, resolving undefined for a 404 (other errors reject). */
export async function getOrUndefined<T>(client: ApiClient, ref: ResourceRef, name: string, ns: string): Promise<T | undefined> {
  try {
    return await client.get<T>(ref, name, ns);
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) return undefined;
    throw err;
  }
}

/** An ObjectReader that GETs every read (callers without a PodObjectCache: unit tests). */
export function directReader(client: ApiClient): ObjectReader {
  return { get: (ref, ns, name) => getOrUndefined(client, ref, name, ns) };
}

/** `configmaps/<ns>/<name>` or `secrets/<ns>/<name>`: the ConfigMaps and Secrets the kubelet reads for a pod (volumes, projected sources, env, envFrom of every container). */
export function podObjectKeys(pod: Pod): Set<string> {
  const ns = pod.metadata?.namespace ?? '';
  const out = new Set<string>();
  const add = (cm: string | undefined, secret: string | undefined) => {
    if (cm) out.add(`configmaps/${ns}/${cm}`);
    if (secret) out.add(`secrets/${ns}/${secret}`);
  };
  for (const v of pod.spec?.volumes ?? []) {
    add(v.configMap?.name, v.secret?.secretName);
    for (const s of v.projected?.sources ?? []) add(s.configMap?.name, s.secret?.name);
  }
  const spec = pod.spec;
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? []), ...(spec?.ephemeralContainers ?? [])]) {
    for (const e of c.envFrom ?? []) add(e.configMapRef?.name, e.secretRef?.name);
    for (const e of c.env ?? []) add(e.valueFrom?.configMapKeyRef?.name, e.valueFrom?.secretKeyRef?.name);
  }
  return out;
}

/** How long a read waits for its object's first list (kube: 1 s of wall time; here cluster time, which may run fast). */
const SYNC_TIMEOUT_MS = 10_000;

interface Entry {
  users: Set<string>;
  informer?: SharedInformer<KubeObject & { immutable?: boolean }>;
  /** An immutable object, kept after its watch stopped. */
  frozen?: KubeObject;
}

/**
 * The kubelet's watch-based ConfigMap and Secret managers (ConfigMapAndSecretChangeDetectionStrategy Watch):
 * one informer per referenced object (its namespace, fieldSelector metadata.name=<name>, which the Node
 * authorizer allows for objects of pods bound to the node), started when a registered pod first references
 * it and stopped when no registered pod does. Reads come from these caches, never from the apiserver.
 *
 * Contracts:
 * - register(pod) (again on every pod update: ephemeral containers add references) / unregister(uid).
 * - get() of an object no registered pod references rejects `object "<ns>"/"<name>" not registered`; one
 *   whose first list has not finished within SYNC_TIMEOUT_MS rejects `failed to sync secret cache: timed out
 *   waiting for the condition` (configmap for ConfigMaps); a missing object resolves undefined.
 * - An object found immutable stops its watch; reads then return that copy (kube's manager does the same).
 * - changed(key) runs for every add, update and delete of a watched object after its first list.
 */
export class PodObjectCache implements ObjectReader, Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly podKeys = new Map<string, Set<string>>();

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly changed: (key: string) => void = () => undefined,
  ) {}

  register(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const next = podObjectKeys(pod);
    const prev = this.podKeys.get(uid) ?? new Set<string>();
    for (const k of next) if (!prev.has(k)) this.acquire(k, uid);
    for (const k of prev) if (!next.has(k)) this.release(k, uid);
    if (next.size) this.podKeys.set(uid, next);
    else this.podKeys.delete(uid);
  }

  unregister(uid: string): void {
    for (const k of this.podKeys.get(uid) ?? []) this.release(k, uid);
    this.podKeys.delete(uid);
  }

  /** Number of objects watched now (tests). */
  watchCount(): number {
    return [...this.entries.values()].filter((e) => e.informer).length;
  }

  async get<T>(ref: ResourceRef, namespace: string, name: string): Promise<T | undefined> {
    const e = this.entries.get(`${ref.resource}/${namespace}/${name}`);
    if (!e) throw new Error(`object ${JSON.stringify(namespace)}/${JSON.stringify(name)} not registered`);
    if (e.frozen) return e.frozen as T;
    const informer = e.informer!;
    if (!informer.hasSynced()) await this.synced(informer, ref);
    const obj = informer.lister().get(`${namespace}/${name}`);
    if (obj?.immutable === true && e.informer) {
      e.frozen = obj;
      e.informer.dispose();
      delete e.informer;
    }
    return obj as T | undefined;
  }

  private async synced(informer: SharedInformer<KubeObject>, ref: ResourceRef): Promise<void> {
    let timer: Disposable | undefined;
    const kind = ref === Secrets ? 'secret' : 'configmap';
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = this.clock.after(SYNC_TIMEOUT_MS, () => reject(new Error(`failed to sync ${kind} cache: timed out waiting for the condition`)));
    });
    try {
      await Promise.race([informer.synced(), timeout]);
    } finally {
      timer?.dispose();
    }
  }

  private acquire(key: string, uid: string): void {
    const existing = this.entries.get(key);
    if (existing) return void existing.users.add(uid);
    const [resource, namespace, name] = key.split('/');
    const ref = resource === 'secrets' ? Secrets : ConfigMaps;
    const informer = createSharedInformer<KubeObject & { immutable?: boolean }>(this.client, this.clock, ref, { namespace, fieldSelector: `metadata.name=${name}` });
    const changed = (o: KubeObject) => o.metadata?.namespace === namespace && o.metadata?.name === name && this.changed(key);
    informer.addEventHandler({ onAdd: (o, initial) => !initial && changed(o), onUpdate: (_old, o) => changed(o), onDelete: changed });
    informer.run();
    this.entries.set(key, { users: new Set([uid]), informer });
  }

  private release(key: string, uid: string): void {
    const e = this.entries.get(key);
    if (!e || !e.users.delete(uid) || e.users.size) return;
    e.informer?.dispose();
    this.entries.delete(key);
  }

  dispose(): void {
    for (const e of this.entries.values()) e.informer?.dispose();
    this.entries.clear();
    this.podKeys.clear();
  }
}

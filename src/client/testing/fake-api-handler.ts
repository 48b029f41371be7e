import type { ApiHandler, ApiRequest, ApiResponse, StreamOpen, WatchEvent } from '../../api/protocol';
import { failureStatus } from '../../api/status';

/**
 * A small in-memory ApiHandler for unit tests of clients (informers, controllers, the scheduler).
 * It is not the apiserver: no validation, no defaulting beyond uid/resourceVersion/creationTimestamp,
 * merge patches only (strategic treated as merge), equality-only label selectors, and the one
 * fieldSelector `spec.nodeName=`. It does keep the watch contract: events after the requested
 * resourceVersion in order, bookmarks when allowWatchBookmarks, 410 Gone below the compacted revision.
 * Like the apiserver it also: serves discovery (GET /api/v1, /apis/<group>/<version>) from `discovery`;
 * fills metadata.name from generateName; bumps metadata.generation when anything but status/metadata changes;
 * honours DELETE propagationPolicy Foreground/Orphan (and DeleteOptions.preconditions.uid) by adding the
 * foregroundDeletion/orphan finalizer; keeps an object with finalizers (deletionTimestamp set) until a write
 * empties them. Pods are still deleted at once (no graceful deletion).
 */
interface Obj {
  metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; [k: string]: unknown };
  [k: string]: unknown;
}

interface Entry {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  coll: string;
  obj: Obj;
  prev?: Obj;
}

interface Watcher {
  coll: string;
  ns?: string;
  match: (o: Obj) => boolean;
  queue: unknown[];
  wake?: () => void;
  ended: boolean;
  bookmarks: boolean;
}

/** Discovery served by default: group/version → resources (plural, Kind, namespaced). */
export const FAKE_DISCOVERY: Record<string, Array<[string, string, boolean]>> = {
  v1: [['configmaps', 'ConfigMap', true], ['endpoints', 'Endpoints', true], ['events', 'Event', true], ['namespaces', 'Namespace', false], ['nodes', 'Node', false], ['persistentvolumeclaims', 'PersistentVolumeClaim', true], ['persistentvolumes', 'PersistentVolume', false], ['pods', 'Pod', true], ['replicationcontrollers', 'ReplicationController', true], ['resourcequotas', 'ResourceQuota', true], ['serviceaccounts', 'ServiceAccount', true], ['services', 'Service', true]],
  'apps/v1': [['controllerrevisions', 'ControllerRevision', true], ['daemonsets', 'DaemonSet', true], ['deployments', 'Deployment', true], ['replicasets', 'ReplicaSet', true], ['statefulsets', 'StatefulSet', true]],
  'batch/v1': [['cronjobs', 'CronJob', true], ['jobs', 'Job', true]],
  'discovery.k8s.io/v1': [['endpointslices', 'EndpointSlice', true]],
  'policy/v1': [['poddisruptionbudgets', 'PodDisruptionBudget', true]],
  'storage.k8s.io/v1': [['storageclasses', 'StorageClass', false]],
};

const GC_FINALIZERS = ['orphan', 'foregroundDeletion'];

const PATH = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;

export class FakeApiHandler implements ApiHandler {
  rv = 1;
  compacted = 0;
  readonly objects = new Map<string, Obj>(); // `${coll}|${ns}|${name}`
  readonly log: Entry[] = [];
  readonly requests: ApiRequest[] = [];
  private watchers = new Map<string, Watcher>();
  private nextStream = 1;
  private uid = 1;
  private names = 0;
  /** Served discovery; delete a group/version to make the fake answer 404 for it. */
  readonly discovery: Record<string, Array<[string, string, boolean]>> = structuredClone(FAKE_DISCOVERY);
  /** A test hook: a response returned instead of handling the request (e.g. to make pod creation fail). */
  intercept?: (req: ApiRequest) => ApiResponse | undefined;

  constructor(private readonly now: () => string = () => '2026-01-01T00:00:00Z') {}

  /** Applies a write directly (test setup); returns the stored object. */
  put(coll: string, obj: Obj): Obj {
    const key = `${coll}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`;
    const prev = this.objects.get(key);
    const stored = structuredClone(obj);
    stored.metadata.uid = prev?.metadata.uid ?? stored.metadata.uid ?? `uid-${this.uid++}`;
    stored.metadata.creationTimestamp ??= prev?.metadata.creationTimestamp ?? this.now();
    const specOf = (o: Obj) => JSON.stringify({ ...o, metadata: undefined, status: undefined });
    stored.metadata.generation = !prev ? ((stored.metadata.generation as number | undefined) ?? 1) : ((prev.metadata.generation as number | undefined) ?? 1) + (specOf(prev) !== specOf(stored) ? 1 : 0);
    stored.metadata.resourceVersion = String(++this.rv);
    const finalizersOf = (o: Obj | undefined) => (o?.metadata.finalizers as string[] | undefined) ?? [];
    if (prev && stored.metadata.deletionTimestamp && finalizersOf(prev).length && !finalizersOf(stored).length) {
      this.objects.set(key, stored);
      return this.remove(coll, obj.metadata.namespace, obj.metadata.name)!;
    }
    this.objects.set(key, stored);
    this.emit({ rv: this.rv, type: prev ? 'MODIFIED' : 'ADDED', coll, obj: stored, prev });
    return structuredClone(stored);
  }

  remove(coll: string, ns: string | undefined, name: string): Obj | undefined {
    const key = `${coll}|${ns ?? ''}|${name}`;
    const prev = this.objects.get(key);
    if (!prev) return undefined;
    this.objects.delete(key);
    const gone = structuredClone(prev);
    gone.metadata.resourceVersion = String(++this.rv);
    this.emit({ rv: this.rv, type: 'DELETED', coll, obj: gone });
    return gone;
  }

  /** Ends every open watch with a 410 Gone ERROR event and forgets history (forces informers to relist). */
  expireWatches(): void {
    this.compacted = this.rv;
    for (const w of this.watchers.values()) {
      w.queue.push({ type: 'ERROR', object: failureStatus('Gone', 'too old resource version: 1 (2)') });
      w.ended = true;
      w.wake?.();
    }
  }

  /** Closes every open watch normally (clients re-watch from their last resourceVersion). */
  closeWatches(): void {
    for (const w of this.watchers.values()) {
      w.ended = true;
      w.wake?.();
    }
  }

  /** Sends a BOOKMARK at the current revision on every watch that asked for bookmarks. */
  bookmark(): void {
    for (const w of this.watchers.values()) {
      if (!w.bookmarks) continue;
      w.queue.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(this.rv) } } });
      w.wake?.();
    }
  }

  list(coll: string): Obj[] {
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(`${coll}|`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => structuredClone(o));
  }

  get(coll: string, ns: string | undefined, name: string): Obj | undefined {
    const o = this.objects.get(`${coll}|${ns ?? ''}|${name}`);
    return o && structuredClone(o);
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  async request(req: ApiRequest): Promise<ApiResponse> {
    this.requests.push(req);
    const intercepted = this.intercept?.(req);
    if (intercepted) return intercepted;
    const disc = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))$/.exec(req.path);
    if (disc && req.method === 'GET') {
      const gv = disc[1] ?? disc[2];
      const rs = this.discovery[gv];
      if (!rs) return notFound('the server could not find the requested resource');
      const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
      return { status: 200, body: { kind: 'APIResourceList', groupVersion: gv, resources: rs.map(([name, kind, namespaced]) => ({ name, singularName: '', namespaced, kind, verbs })) } };
    }
    const m = PATH.exec(req.path);
    if (!m) return notFound('the server could not find the requested resource');
    let [, group = '', , ns, coll, name, sub] = m as (string | undefined)[];
    if (!group && ns && !name && (coll === 'status' || coll === 'finalize')) [ns, coll, name, sub] = [undefined, 'namespaces', ns, coll];
    const c: string = group ? `${group}/${coll}` : coll!;
    if (req.method === 'GET' && !name) {
      const match = matcher(req.query);
      const items = this.list(c).filter((o) => (!ns || o.metadata.namespace === ns) && match(o));
      return { status: 200, body: { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: String(this.rv) }, items } };
    }
    const key = `${c}|${ns ?? ''}|${name ?? ''}`;
    const cur = this.objects.get(key);
    const body = req.body as Obj | undefined;
    switch (req.method) {
      case 'GET':
        return cur ? { status: 200, body: structuredClone(cur) } : notFound(`${coll} "${name}" not found`);
      case 'POST': {
        if (sub === 'binding' && name) {
          if (!cur) return notFound(`${coll} "${name}" not found`);
          const spec = (cur.spec ?? {}) as { nodeName?: string };
          if (spec.nodeName) return { status: 409, body: failureStatus('Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${spec.nodeName}"`) };
          const target = (body as unknown as { target: { name: string } }).target;
          this.put(c, { ...structuredClone(cur), spec: { ...spec, nodeName: target.name } });
          return { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
        }
        if (!body) return { status: 400, body: failureStatus('BadRequest', 'no body') };
        const o = structuredClone(body);
        o.metadata.namespace = ns ?? o.metadata.namespace;
        if (!o.metadata.name && o.metadata.generateName) o.metadata.name = `${o.metadata.generateName}${(++this.names).toString(36).padStart(5, '0')}`;
        if (this.objects.has(`${c}|${o.metadata.namespace ?? ''}|${o.metadata.name}`)) {
          return { status: 409, body: failureStatus('AlreadyExists', `${coll} "${o.metadata.name}" already exists`) };
        }
        return { status: 201, body: this.put(c, o) };
      }
      case 'PUT': {
        if (!cur) return notFound(`${coll} "${name}" not found`);
        if (body?.metadata.resourceVersion && body.metadata.resourceVersion !== cur.metadata.resourceVersion) {
          return { status: 409, body: failureStatus('Conflict', `Operation cannot be fulfilled on ${coll} "${name}": the object has been modified; please apply your changes to the latest version and try again`) };
        }
        const next = sub === 'status' ? { ...structuredClone(cur), status: structuredClone(body!.status) } : structuredClone(body!);
        return { status: 200, body: this.put(c, next as Obj) };
      }
      case 'PATCH': {
        if (!cur) return notFound(`${coll} "${name}" not found`);
        return { status: 200, body: this.put(c, mergePatch(structuredClone(cur), req.body) as Obj) };
      }
      case 'DELETE': {
        if (!cur) return notFound(`${coll} "${name}" not found`);
        const opts = { ...((body as { propagationPolicy?: string; preconditions?: { uid?: string } } | undefined) ?? {}) };
        if (req.query?.propagationPolicy) opts.propagationPolicy = req.query.propagationPolicy;
        if (opts.preconditions?.uid && opts.preconditions.uid !== cur.metadata.uid) {
          return { status: 409, body: failureStatus('Conflict', `Operation cannot be fulfilled on ${coll} "${name}": Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${cur.metadata.uid}`) };
        }
        const had = (cur.metadata.finalizers as string[] | undefined) ?? [];
        let finalizers = had;
        if (opts.propagationPolicy === 'Orphan' || opts.propagationPolicy === 'Foreground') {
          finalizers = [...had.filter((f) => !GC_FINALIZERS.includes(f)), opts.propagationPolicy === 'Orphan' ? 'orphan' : 'foregroundDeletion'];
        } else if (opts.propagationPolicy === 'Background') finalizers = had.filter((f) => !GC_FINALIZERS.includes(f));
        if (finalizers.length) {
          if (cur.metadata.deletionTimestamp && JSON.stringify(finalizers) === JSON.stringify(had)) return { status: 200, body: structuredClone(cur) };
          const next = structuredClone(cur);
          next.metadata.finalizers = finalizers;
          next.metadata.deletionTimestamp ??= this.now();
          next.metadata.deletionGracePeriodSeconds = 0;
          return { status: 200, body: this.put(c, next) };
        }
        const gone = this.remove(c, ns, name ?? '');
        return gone ? { status: 200, body: gone } : notFound(`${coll} "${name}" not found`);
      }
    }
    return { status: 405, body: failureStatus('MethodNotAllowed', 'method not allowed') };
  }

  async stream(req: ApiRequest): Promise<StreamOpen> {
    this.requests.push(req);
    const m = PATH.exec(req.path);
    if (!m) return notFound('not found');
    const [, group = '', , ns, coll] = m;
    const c = group ? `${group}/${coll}` : coll;
    const from = Number(req.query?.resourceVersion ?? this.rv);
    if (from < this.compacted) return { status: 410, body: failureStatus('Gone', `too old resource version: ${from} (${this.compacted})`) };
    const w: Watcher = { coll: c, ns, match: matcher(req.query), queue: [], ended: false, bookmarks: req.query?.allowWatchBookmarks === 'true' };
    for (const e of this.log) if (e.rv > from) this.deliver(w, e);
    const id = `w${this.nextStream++}`;
    this.watchers.set(id, w);
    return { status: 200, body: null, streamId: id };
  }

  async read(streamId: string): Promise<unknown[] | null> {
    const w = this.watchers.get(streamId);
    if (!w) return null;
    while (!w.queue.length && !w.ended) await new Promise<void>((r) => (w.wake = r));
    w.wake = undefined;
    if (w.queue.length) return w.queue.splice(0);
    this.watchers.delete(streamId);
    return null;
  }

  async cancel(streamId: string): Promise<void> {
    const w = this.watchers.get(streamId);
    if (!w) return;
    w.ended = true;
    w.wake?.();
    this.watchers.delete(streamId);
  }

  private emit(e: Entry): void {
    this.log.push(e);
    for (const w of this.watchers.values()) this.deliver(w, e);
  }

  private deliver(w: Watcher, e: Entry): void {
    if (w.ended || e.coll !== w.coll || (w.ns && e.obj.metadata.namespace !== w.ns)) return;
    // Filtered watches see an object leave the filter as DELETED and enter it as ADDED (the apiserver's cacher).
    const now = w.match(e.obj);
    const before = e.type === 'MODIFIED' && !!e.prev && w.match(e.prev);
    let type = e.type;
    if (e.type === 'MODIFIED' && now && !before) type = 'ADDED';
    else if (e.type === 'MODIFIED' && !now && before) type = 'DELETED';
    else if (!now) return;
    w.queue.push({ type, object: structuredClone(e.obj) } satisfies WatchEvent);
    w.wake?.();
  }
}

function notFound(message: string): ApiResponse {
  return { status: 404, body: failureStatus('NotFound', message) };
}

function matcher(query?: Record<string, string>): (o: Obj) => boolean {
  const labels = (query?.labelSelector ?? '').split(',').filter(Boolean).map((t) => t.split('='));
  const nodeNameEmpty = query?.fieldSelector === 'spec.nodeName=';
  return (o) => {
    const l = (o.metadata.labels ?? {}) as Record<string, string>;
    if (!labels.every(([k, v]) => l[k] === v)) return false;
    if (nodeNameEmpty && (o.spec as { nodeName?: string } | undefined)?.nodeName) return false;
    return true;
  };
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

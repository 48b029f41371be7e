import { PatchError } from './json-patch';

/**
 * Strategic merge patch for the core/v1 fields Tabernetes serves: lists with a patchMergeKey merge by
 * key (containers by name, conditions by type, …), finalizers merge as a set, other lists replace.
 * Directives: `$patch: replace|delete|merge`, `$retainKeys`, `$deleteFromPrimitiveList/<f>`,
 * `$setElementOrder/<f>` (order applied), null deletes a key.
 */
export const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  addresses: 'type',
  podIPs: 'ip',
  hostIPs: 'ip',
  hostAliases: 'ip',
  schedulingGates: 'name',
  resourceClaims: 'name',
  ports: 'containerPort',
};
export const SET_LISTS = new Set(['finalizers']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export function applyStrategicMergePatch(original: unknown, patch: unknown): unknown {
  if (!isObj(patch)) throw new PatchError('json: cannot unmarshal into Go value of type map[string]interface {}', true);
  return mergeMap(isObj(original) ? original : {}, patch);
}

function mergeMap(original: Obj, patch: Obj): Obj {
  const directive = patch.$patch;
  if (directive === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return structuredClone(rest);
  }
  if (directive === 'delete') return {};
  let out: Obj = { ...original };
  const retain = patch.$retainKeys;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f]) && Array.isArray(v)) out[f] = (out[f] as unknown[]).filter((x) => !v.includes(x));
      continue;
    }
    if (k.startsWith('$setElementOrder/')) continue;
    if (v === null) {
      delete out[k];
    } else if (isObj(v)) {
      out[k] = mergeMap(isObj(out[k]) ? (out[k] as Obj) : {}, v);
    } else if (Array.isArray(v)) {
      out[k] = mergeList(k, Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v);
    } else {
      out[k] = v;
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith('$setElementOrder/') || !Array.isArray(v)) continue;
    const f = k.slice('$setElementOrder/'.length);
    const list = out[f];
    if (!Array.isArray(list)) continue;
    const key = mergeKey(f, [...list, ...v]);
    const id = (x: unknown) => (key && isObj(x) ? x[key] : x);
    const order = v.map(id);
    out[f] = [...list].sort((a, b) => rank(order, id(a)) - rank(order, id(b)));
  }
  if (Array.isArray(retain)) {
    const keep = new Set(retain as string[]);
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
  }
  return out;
}

/** The patchMergeKey of a list field; `ports` is containerPort in containers and port in ServiceSpec. */
export function mergeKey(field: string, items: unknown[]): string | undefined {
  if (field === 'ports' && items.some((x) => isObj(x) && 'port' in x && !('containerPort' in x))) return 'port';
  return MERGE_KEYS[field];
}

function rank(order: unknown[], v: unknown): number {
  const i = order.indexOf(v);
  return i < 0 ? order.length : i;
}

function mergeList(field: string, original: unknown[], patch: unknown[]): unknown[] {
  if (SET_LISTS.has(field)) {
    const out = [...original];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  const key = mergeKey(field, [...original, ...patch]);
  if (!key || !patch.every(isObj)) {
    if (patch.length === 1 && isObj(patch[0]) && patch[0].$patch === 'replace') return [];
    return structuredClone(patch.filter((x) => !(isObj(x) && x.$patch)));
  }
  if (patch.some((p) => (p as Obj).$patch === 'replace')) return structuredClone(patch.filter((p) => (p as Obj).$patch !== 'replace'));
  const out = [...original];
  for (const p of patch as Obj[]) {
    const i = out.findIndex((o) => isObj(o) && o[key] === p[key]);
    if (p.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = mergeMap(out[i] as Obj, p);
    else out.push(mergeMap({}, p));
  }
  return out;
}

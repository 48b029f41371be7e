import { mergeKey, SET_LISTS } from '../../workers/apiserver/patch/strategic-merge-patch';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * A strategic merge patch the way kustomize's kyaml merge2 applies it: maps merge key by key (null deletes),
 * lists with a patchMergeKey merge element by element with the patch's keys first, then the elements only
 * the target has (in their order); `$patch: delete` drops a map or list element; other lists are replaced.
 */
export function kyamlMerge(dest: unknown, patch: unknown, field = ''): unknown {
  if (isObj(patch)) {
    if (!isObj(dest)) dest = {};
    const out: Obj = { ...(dest as Obj) };
    for (const [k, v] of Object.entries(patch)) {
      if (k === '$patch') continue;
      if (v === null) delete out[k];
      else out[k] = kyamlMerge(out[k], v, k);
    }
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(dest)) {
    if (SET_LISTS.has(field)) return [...dest, ...patch.filter((v) => !dest.includes(v))];
    const key = mergeKey(field, [...dest, ...patch]);
    if (!key || !patch.every(isObj) || !dest.every(isObj)) return patch;
    const keyOf = (x: Obj) => JSON.stringify(x[key]);
    const order = [...new Set([...patch.map(keyOf), ...dest.map(keyOf)])];
    const out: unknown[] = [];
    for (const k of order) {
      const p = patch.find((x) => keyOf(x) === k);
      const d = dest.find((x) => keyOf(x) === k);
      if (p?.$patch === 'delete') continue;
      out.push(p ? kyamlMerge(d, p, '') : d);
    }
    return out;
  }
  return patch;
}

import { SET_LISTS, mergeKey } from '../../workers/apiserver/patch/strategic-merge-patch';

/**
 * kubectl apply's patch for built-in kinds: strategic merge patch's CreateThreeWayMergePatch from
 * last-applied (original), the new manifest (modified) and the live object (current):
 * - additions and changes are diffMaps(current, modified) ignoring deletions;
 * - deletions are diffMaps(original, modified) ignoring changes and additions (null for a field,
 *   `{key: v, $patch: delete}` for a merge-keyed list item, `$deleteFromPrimitiveList/<f>` for a set list);
 * - lists with a patchMergeKey merge by it, emitting `$setElementOrder/<f>` when their content or order
 *   changes; Deployment strategy and volume sources carry `$retainKeys`; other lists are replaced whole.
 * An empty result ({}) means "unchanged".
 */
type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

interface DiffOptions {
  ignoreDeletions: boolean;
  ignoreChangesAndAdditions: boolean;
}

const RETAIN_KEYS = new Set(['strategy']);

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function diffMaps(original: Obj, modified: Obj, o: DiffOptions, retainKeys = false): Obj {
  const patch: Obj = {};
  for (const [k, m] of Object.entries(modified)) {
    if (!(k in original)) {
      if (!o.ignoreChangesAndAdditions) patch[k] = m;
      continue;
    }
    const c = original[k];
    if (isObj(c) && isObj(m)) {
      const sub = diffMaps(c, m, o, RETAIN_KEYS.has(k));
      if (Object.keys(sub).length) patch[k] = sub;
    } else if (Array.isArray(c) && Array.isArray(m)) {
      diffLists(k, c, m, o, patch);
    } else if (!deepEqual(c, m) && !o.ignoreChangesAndAdditions) {
      patch[k] = m;
    }
  }
  if (!o.ignoreDeletions) for (const k of Object.keys(original)) if (!(k in modified)) patch[k] = null;
  if (retainKeys && !o.ignoreChangesAndAdditions && (Object.keys(patch).length || Object.keys(original).some((k) => !(k in modified)))) {
    patch.$retainKeys = Object.keys(modified).sort();
  }
  return patch;
}

function diffLists(field: string, original: Json[], modified: Json[], o: DiffOptions, patch: Obj): void {
  if (SET_LISTS.has(field)) {
    const added = modified.filter((x) => !original.includes(x));
    const deleted = original.filter((x) => !modified.includes(x));
    if (!o.ignoreChangesAndAdditions && added.length) patch[field] = added;
    if (!o.ignoreDeletions && deleted.length) patch[`$deleteFromPrimitiveList/${field}`] = deleted;
    if ((!o.ignoreDeletions && deleted.length) || (!o.ignoreChangesAndAdditions && !deepEqual(original, modified))) patch[`$setElementOrder/${field}`] = modified;
    return;
  }
  const key = mergeKey(field, [...original, ...modified]);
  if (!key || ![...original, ...modified].every(isObj)) {
    if (!deepEqual(original, modified) && !o.ignoreChangesAndAdditions) patch[field] = modified;
    return;
  }
  const orig = original as Obj[];
  const mod = modified as Obj[];
  const items: Obj[] = [];
  for (const m of mod) {
    const c = orig.find((x) => x[key] === m[key]);
    if (!c) {
      if (!o.ignoreChangesAndAdditions) items.push(m);
      continue;
    }
    const sub = diffMaps(c, m, o, field === 'volumes');
    if (Object.keys(sub).length) items.push({ ...sub, [key]: m[key] });
  }
  if (!o.ignoreDeletions) for (const c of orig) if (!mod.some((m) => m[key] === c[key])) items.push({ [key]: c[key], $patch: 'delete' });
  const orderChanged = orig.length !== mod.length || mod.some((m, i) => orig[i][key] !== m[key]);
  if (items.length) patch[field] = items;
  if ((!o.ignoreChangesAndAdditions && (items.length || orderChanged)) || (!o.ignoreDeletions && items.length)) {
    patch[`$setElementOrder/${field}`] = mod.map((m) => ({ [key]: m[key] }));
  }
}

/** mergeMap of two patches: the later one's values win; merge-keyed lists of items merge by key. */
function mergePatches(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    if (isObj(prev) && isObj(v)) out[k] = mergePatches(prev, v);
    else if (Array.isArray(prev) && Array.isArray(v) && !k.startsWith('$')) {
      const key = mergeKey(k, [...prev, ...v]);
      if (!key || ![...prev, ...v].every(isObj)) out[k] = v;
      else {
        const merged = [...(prev as Obj[])];
        for (const item of v as Obj[]) {
          const i = merged.findIndex((x) => x[key] === item[key]);
          if (i >= 0) merged[i] = mergePatches(merged[i], item);
          else merged.push(item);
        }
        out[k] = merged;
      }
    } else out[k] = v;
  }
  return out;
}

export function threeWayStrategicPatch(original: Json | undefined, modified: Obj, current: Json): Obj {
  const delta = diffMaps(isObj(current) ? current : {}, modified, { ignoreDeletions: true, ignoreChangesAndAdditions: false });
  const deletions = isObj(original) ? diffMaps(original, modified, { ignoreDeletions: false, ignoreChangesAndAdditions: true }) : {};
  return mergePatches(deletions, delta);
}

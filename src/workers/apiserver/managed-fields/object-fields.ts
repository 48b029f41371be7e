import { emptySet, insert, isEmpty, type FieldSet } from './field-set';
import { alwaysPresent, isAtomicMap, itemElement, listType } from './field-schema';

/**
 * Field sets of JSON objects, structured-merge-diff style:
 * - fieldSetOf: the fields a value sets (ToFieldSet: leaves, empty/null maps, list items, atomic values);
 * - compareObjects: the paths added or modified and the paths removed between two values (Compare);
 *   a composite absent on the old side is itself "added" (FieldsV1 `.`) unless Go always serialises it;
 * - mergeApplied: an applied configuration over the live object (list-maps by key, sets by value);
 * - removeFields: drops the given paths from an object, keeping those another set still owns.
 * Inputs are never mutated.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const isEmptyMap = (v: unknown) => v === null || v === undefined || (isObj(v) && Object.keys(v).length === 0);

/** The paths stripped from every set (stripMetaManager): identity and server-owned metadata. */
export function stripMeta(obj: Obj): Obj {
  const out: Obj = { ...obj };
  delete out.apiVersion;
  delete out.kind;
  if (isObj(obj.metadata)) {
    const m = { ...obj.metadata };
    for (const k of ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'generation', 'managedFields', 'resourceVersion']) delete m[k];
    out.metadata = m;
  }
  return out;
}

export function fieldSetOf(value: unknown): FieldSet {
  const s = emptySet();
  walk(value, s, '');
  const meta = s.children.get('f:metadata');
  if (meta) meta.member = false;
  return s;
}

function walk(v: unknown, node: FieldSet, field: string): void {
  if (isObj(v)) {
    if (isAtomicMap(field)) {
      node.member = true;
      return;
    }
    for (const [k, c] of Object.entries(v)) {
      if (c === undefined) continue;
      const child = insertChild(node, `f:${k}`);
      if (isEmptyMap(c) || (!isObj(c) && !Array.isArray(c))) child.member = true;
      walk(c, child, k);
    }
  } else if (Array.isArray(v)) {
    const t = listType(field, v);
    if (t.kind === 'atomic') {
      node.member = true;
      return;
    }
    for (const item of v) {
      const child = insertChild(node, itemElement(item, t));
      child.member = true;
      if (t.kind === 'map') walk(item, child, '');
    }
  }
}

function insertChild(node: FieldSet, el: string): FieldSet {
  let c = node.children.get(el);
  if (!c) node.children.set(el, (c = emptySet()));
  return c;
}

/** JSON equality; a key whose value is undefined counts as absent. Allocation-free (it runs on every write). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Obj;
  const bo = b as Obj;
  let na = 0;
  for (const k of Object.keys(ao)) {
    const v = ao[k];
    if (v === undefined) continue;
    na++;
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !deepEqual(v, bo[k])) return false;
  }
  let nb = 0;
  for (const k of Object.keys(bo)) if (bo[k] !== undefined) nb++;
  return na === nb;
}

export interface Comparison {
  /** Added ∪ Modified. */
  changed: FieldSet;
  removed: FieldSet;
}

export function compareObjects(oldV: unknown, newV: unknown): Comparison {
  const c: Comparison = { changed: emptySet(), removed: emptySet() };
  cmp(oldV, newV, '', [], true, true, c);
  return c;
}

function leafLike(l: unknown, r: unknown, field: string): boolean {
  if (isEmptyMap(l) && isEmptyMap(r) && (isObj(l) || isObj(r))) return true;
  const v = r !== undefined ? r : l;
  if (isObj(v)) return isAtomicMap(field);
  if (Array.isArray(v)) return listType(field, concat(l, r)).kind === 'atomic';
  return true;
}

/** The items of both sides (listType looks at every item). */
function concat(l: unknown, r: unknown): unknown[] {
  const la = Array.isArray(l) ? l : [];
  const ra = Array.isArray(r) ? r : [];
  return ra.length === 0 ? la : la.length === 0 ? ra : [...la, ...ra];
}

const hasOwn = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** `path` is a stack of the elements down to this value: pushed and popped around each child (insert copies nothing). */
function cmp(l: unknown, r: unknown, field: string, path: string[], lParent: boolean, rParent: boolean, c: Comparison): void {
  if (field && alwaysPresent(field)) {
    const shape = isObj(l ?? r) ? {} : null;
    if (l === undefined && lParent) l = shape;
    if (r === undefined && rParent) r = shape;
  }
  if (l === undefined && lParent && r === null) return;
  if (r === undefined && rParent && l === null) return;
  if (l === undefined && r === undefined) return;
  if (leafLike(l, r, field)) {
    if (l === undefined) insert(c.changed, path);
    else if (r === undefined) insert(c.removed, path);
    else if (!deepEqual(l, r) && !(isEmptyMap(l) && isEmptyMap(r))) insert(c.changed, path);
    return;
  }
  // Equal subtrees contribute nothing to changed or removed: skip walking them (most of an object on a status write).
  if (l !== undefined && r !== undefined && deepEqual(l, r)) return;
  if (isObj(l) || isObj(r)) {
    const lo = isObj(l) ? l : undefined;
    const ro = isObj(r) ? r : undefined;
    if (lo) {
      for (const k of Object.keys(lo)) {
        path.push(`f:${k}`);
        cmp(lo[k], ro && hasOwn(ro, k) ? ro[k] : undefined, k, path, true, ro !== undefined, c);
        path.pop();
      }
    }
    if (ro) {
      for (const k of Object.keys(ro)) {
        if (lo && hasOwn(lo, k)) continue;
        path.push(`f:${k}`);
        cmp(undefined, ro[k], k, path, lo !== undefined, true, c);
        path.pop();
      }
    }
  } else {
    const la = Array.isArray(l) ? l : [];
    const ra = Array.isArray(r) ? r : [];
    const t = listType(field, concat(la, ra));
    const byEl = (xs: unknown[]) => new Map(xs.map((x) => [itemElement(x, t), x]));
    const lm = byEl(la);
    const rm = byEl(ra);
    const visit = (el: string) => {
      path.push(el);
      if (t.kind === 'set') {
        if (!lm.has(el)) insert(c.changed, path);
        else if (!rm.has(el)) insert(c.removed, path);
      } else cmp(lm.get(el), rm.get(el), '', path, lm.has(el), rm.has(el), c);
      path.pop();
    };
    for (const el of lm.keys()) visit(el);
    for (const el of rm.keys()) if (!lm.has(el)) visit(el);
  }
  if (path.length && l === undefined) insert(c.changed, path);
  else if (path.length && r === undefined) insert(c.removed, path);
}

/** The applied configuration over the live value (structured merge). A null in the config removes the field. */
export function mergeApplied(live: unknown, config: unknown, field = ''): unknown {
  if (config === undefined) return live;
  if (isObj(config) && !isAtomicMap(field)) {
    const out: Obj = isObj(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(config)) {
      if (v === null) delete out[k];
      else out[k] = mergeApplied(out[k], v, k);
    }
    return out;
  }
  if (Array.isArray(config)) {
    const la = Array.isArray(live) ? live : [];
    const t = listType(field, [...la, ...config]);
    if (t.kind === 'atomic') return structuredClone(config);
    const cm = new Map(config.map((x) => [itemElement(x, t), x]));
    const seen = new Set<string>();
    const out = la.map((x) => {
      const el = itemElement(x, t);
      if (!cm.has(el) || t.kind === 'set') return x;
      seen.add(el);
      return mergeApplied(x, cm.get(el), '');
    });
    for (const x of config) {
      const el = itemElement(x, t);
      if (seen.has(el) || (t.kind === 'set' && la.some((y) => itemElement(y, t) === el))) continue;
      seen.add(el);
      out.push(structuredClone(x));
    }
    return out;
  }
  return structuredClone(config);
}

/** Removes every member of `remove` from the value, except paths with descendants in `keep`. */
export function removeFields(value: unknown, remove: FieldSet, keep: FieldSet | undefined, field = ''): unknown {
  if (isObj(value)) {
    const out: Obj = { ...value };
    for (const [el, node] of remove.children) {
      if (!el.startsWith('f:')) continue;
      const k = el.slice(2);
      if (!(k in out)) continue;
      const kn = keep?.children.get(el);
      if (node.member && (!kn || isEmpty(kn))) delete out[k];
      else {
        out[k] = removeFields(out[k], node, kn, k);
        if (isEmptyMap(out[k]) && !isEmptyMap(value[k])) delete out[k];
      }
    }
    return out;
  }
  if (Array.isArray(value)) {
    const t = listType(field, value);
    if (t.kind === 'atomic') return value;
    const out: unknown[] = [];
    for (const item of value) {
      const el = itemElement(item, t);
      const node = remove.children.get(el);
      const kn = keep?.children.get(el);
      if (!node) out.push(item);
      else if (node.member && (!kn || isEmpty(kn))) continue;
      else out.push(removeFields(item, node, kn, ''));
    }
    return out;
  }
  return value;
}

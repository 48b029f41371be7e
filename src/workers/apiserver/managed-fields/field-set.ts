/**
 * A set of field paths (structured-merge-diff's fieldpath.Set) as a tree keyed by FieldsV1 path
 * elements: `f:<name>` (struct field or map key), `k:{"key":value,…}` (list-map item, keys sorted),
 * `v:<json>` (set-list item). `member` marks that the node's own path is in the set.
 * Serialised as FieldsV1: a member with children carries `".": {}`, a member leaf is `{}`.
 */
export interface FieldSet {
  member: boolean;
  children: Map<string, FieldSet>;
}

export const emptySet = (): FieldSet => ({ member: false, children: new Map() });

export function isEmpty(s: FieldSet): boolean {
  if (s.member) return false;
  for (const c of s.children.values()) if (!isEmpty(c)) return false;
  return true;
}

/** Inserts a path (list of elements); returns the node at the path. */
export function insert(s: FieldSet, path: string[]): FieldSet {
  let n = s;
  for (const e of path) {
    let c = n.children.get(e);
    if (!c) n.children.set(e, (c = emptySet()));
    n = c;
  }
  n.member = true;
  return n;
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member || b.member, children: new Map() };
  for (const [k, v] of a.children) out.children.set(k, b.children.has(k) ? union(v, b.children.get(k)!) : clone(v));
  for (const [k, v] of b.children) if (!a.children.has(k)) out.children.set(k, clone(v));
  return out;
}

/** Members of a that are not members of b (node-wise, as fieldpath.Set.Difference). */
export function difference(a: FieldSet, b: FieldSet | undefined): FieldSet {
  const out: FieldSet = { member: a.member && !b?.member, children: new Map() };
  for (const [k, v] of a.children) {
    const d = difference(v, b?.children.get(k));
    if (!isEmpty(d)) out.children.set(k, d);
  }
  return out;
}

export function intersection(a: FieldSet, b: FieldSet | undefined): FieldSet {
  const out: FieldSet = { member: a.member && !!b?.member, children: new Map() };
  if (!b) return out;
  for (const [k, v] of a.children) {
    const bc = b.children.get(k);
    if (!bc) continue;
    const i = intersection(v, bc);
    if (!isEmpty(i)) out.children.set(k, i);
  }
  return out;
}

/** Removes a subtree (e.g. `f:status`) from the set. */
export function without(s: FieldSet, path: string[]): FieldSet {
  const out = clone(s);
  let n = out;
  for (let i = 0; i < path.length - 1; i++) {
    const c = n.children.get(path[i]);
    if (!c) return out;
    n = c;
  }
  n.children.delete(path[path.length - 1]);
  return out;
}

export function clone(s: FieldSet): FieldSet {
  return { member: s.member, children: new Map([...s.children].map(([k, v]) => [k, clone(v)])) };
}

/** Every member path, in FieldsV1 order (depth first, elements sorted). */
export function members(s: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  if (s.member && prefix.length) out.push(prefix);
  for (const k of [...s.children.keys()].sort(compareElements)) out.push(...members(s.children.get(k)!, [...prefix, k]));
  return out;
}

/** fieldpath.PathElement order: field names, then keys, then values, then indexes; each by its text. */
export function compareElements(a: string, b: string): number {
  const rank = (e: string) => ({ f: 0, k: 1, v: 2, i: 3 })[e[0] as 'f'] ?? 4;
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export type FieldsV1 = { [element: string]: FieldsV1 };

export function toFieldsV1(s: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  if (s.member && s.children.size) out['.'] = {};
  for (const k of [...s.children.keys()].sort(compareElements)) {
    const c = s.children.get(k)!;
    if (!isEmpty(c)) out[k] = toFieldsV1(c);
  }
  return out;
}

export function fromFieldsV1(f: unknown): FieldSet {
  const s = emptySet();
  if (!f || typeof f !== 'object') return s;
  const entries = Object.entries(f as FieldsV1);
  if (entries.length === 0) s.member = true;
  for (const [k, v] of entries) {
    if (k === '.') s.member = true;
    else s.children.set(k, fromFieldsV1(v));
  }
  return s;
}

/** fieldpath.Path.String(): `.spec.replicas`, `.spec.containers[name="app"].image`, `.metadata.finalizers[="x"]`. */
export function pathString(path: string[]): string {
  return path
    .map((e) => {
      const body = e.slice(2);
      if (e.startsWith('f:')) return `.${body}`;
      if (e.startsWith('v:')) return `[=${body}]`;
      if (e.startsWith('i:')) return `[${body}]`;
      const keys = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.keys(keys)
        .map((k) => `${k}=${JSON.stringify(keys[k])}`)
        .join(',')}]`;
    })
    .join('');
}

/**
 * RFC 6902 JSON Patch (add, remove, replace, move, copy, test). Throws PatchError with
 * evanphx/json-patch-style messages; the caller maps them to kube's 422.
 */
export class PatchError extends Error {
  constructor(
    message: string,
    /** The patch document itself is malformed (kube answers 400), rather than failing to apply (422). */
    readonly malformed = false,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

type Json = unknown;
interface Op {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchError(`JSON pointer must be empty or start with a "/": ${JSON.stringify(p)}`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function container(doc: Json, parts: string[], op: string, path: string): { parent: Record<string, Json> | Json[]; key: string } {
  let cur = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(part);
      if (!/^\d+$/.test(part) || i >= cur.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
      cur = cur[i];
    } else if (cur && typeof cur === 'object' && part in (cur as object)) {
      cur = (cur as Record<string, Json>)[part];
    } else {
      throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    }
  }
  if (!cur || typeof cur !== 'object') throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return { parent: cur as Record<string, Json> | Json[], key: parts[parts.length - 1] };
}

function getAt(doc: Json, path: string, op: string): Json {
  const parts = parsePointer(path);
  if (!parts.length) return doc;
  const { parent, key } = container(doc, parts, op, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    return parent[i];
  }
  if (!(key in parent)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  return parent[key];
}

function add(doc: Json, path: string, value: Json): Json {
  const parts = parsePointer(path);
  if (!parts.length) return value;
  const { parent, key } = container(doc, parts, 'add', path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!(key === '-' || /^\d+$/.test(key)) || i > parent.length) throw new PatchError(`add operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 0, value);
  } else parent[key] = value;
  return doc;
}

function remove(doc: Json, path: string, op = 'remove'): Json {
  const parts = parsePointer(path);
  const { parent, key } = container(doc, parts, op, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    parent.splice(i, 1);
  } else {
    if (!(key in parent)) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    delete parent[key];
  }
  return doc;
}

function equal(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || !a || !b || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as Json[]).length && a.every((x, i) => equal(x, (b as Json[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => equal((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]));
}

export function applyJsonPatch(doc: Json, patch: Json): Json {
  if (!Array.isArray(patch)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch', true);
  let out = structuredClone(doc);
  for (const raw of patch as Op[]) {
    if (!raw || typeof raw !== 'object' || typeof raw.op !== 'string') throw new PatchError('Unexpected kind: unknown', true);
    const { op, path } = raw;
    switch (op) {
      case 'add':
        out = add(out, path, structuredClone(raw.value));
        break;
      case 'remove':
        out = remove(out, path);
        break;
      case 'replace':
        getAt(out, path, 'replace');
        if (parsePointer(path).length === 0) out = structuredClone(raw.value);
        else out = add(remove(out, path, 'replace'), path, structuredClone(raw.value));
        break;
      case 'move': {
        const v = getAt(out, raw.from ?? '', 'move');
        out = add(remove(out, raw.from ?? '', 'move'), path, v);
        break;
      }
      case 'copy':
        out = add(out, path, structuredClone(getAt(out, raw.from ?? '', 'copy')));
        break;
      case 'test':
        if (!equal(getAt(out, path, 'test'), raw.value)) throw new PatchError(`testing value ${path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${op}`, true);
    }
  }
  return out;
}

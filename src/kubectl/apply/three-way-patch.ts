/**
 * The patch `kubectl apply` sends, from last-applied (original), the new manifest (modified) and the
 * live object (current), as a JSON merge patch (RFC 7386):
 * - every field present in original but absent from modified is deleted (null);
 * - every field of modified that differs from current is set. Objects recurse. A list counts as
 *   unchanged when it has the same length and each modified item is contained in the live item at the
 *   same position (the server's defaults on live items are not differences, as with a strategic merge
 *   patch keyed by name); otherwise the modified list replaces the live one.
 * An empty result ({}) means "unchanged".
 */
type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => !!v && typeof v === 'object' && !Array.isArray(v);

/** True when everything in want is also in have (extra fields in have are allowed inside objects). */
export function containedIn(want: Json, have: Json): boolean {
  if (isObject(want)) {
    if (!isObject(have)) return false;
    return Object.keys(want).every((k) => containedIn(want[k], have[k]));
  }
  if (Array.isArray(want)) {
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => containedIn(w, have[i]));
  }
  return want === have;
}

function addsAndChanges(current: Json, modified: JsonObject): JsonObject {
  const patch: JsonObject = {};
  const cur = isObject(current) ? current : {};
  for (const [k, m] of Object.entries(modified)) {
    const c = cur[k];
    if (isObject(m) && isObject(c)) {
      const sub = addsAndChanges(c, m);
      if (Object.keys(sub).length) patch[k] = sub;
    } else if (!containedIn(m, c) || (isObject(m) && c === undefined)) {
      patch[k] = m;
    }
  }
  return patch;
}

function deletions(original: Json, modified: Json): JsonObject {
  const patch: JsonObject = {};
  if (!isObject(original) || !isObject(modified)) return patch;
  for (const [k, o] of Object.entries(original)) {
    if (!(k in modified)) patch[k] = null;
    else if (isObject(o) && isObject(modified[k])) {
      const sub = deletions(o, modified[k]);
      if (Object.keys(sub).length) patch[k] = sub;
    }
  }
  return patch;
}

function mergeInto(target: JsonObject, src: JsonObject): JsonObject {
  for (const [k, v] of Object.entries(src)) {
    if (isObject(v) && isObject(target[k])) mergeInto(target[k] as JsonObject, v);
    else target[k] = v;
  }
  return target;
}

export function threeWayMergePatch(original: Json | undefined, modified: JsonObject, current: Json): JsonObject {
  const del = original === undefined ? {} : deletions(original, modified);
  return mergeInto(del, addsAndChanges(current, modified));
}

/** Go's json.Marshal of an unstructured object: keys sorted, compact, HTML characters escaped. */
export function goCompactJson(v: Json): string {
  const sort = (x: Json): Json =>
    Array.isArray(x) ? x.map(sort) : isObject(x) ? Object.fromEntries(Object.keys(x).sort().filter((k) => x[k] !== undefined).map((k) => [k, sort(x[k])])) : x;
  return JSON.stringify(sort(v)).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

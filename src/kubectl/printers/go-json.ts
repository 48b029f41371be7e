/**
 * kubectl -o json: Go's json.MarshalIndent(obj, "", "    ") over an unstructured map — keys sorted by
 * bytes, HTML-sensitive characters escaped (\u003c \u003e \u0026), U+2028/2029 escaped, and a trailing newline.
 */
function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort(byteOrder)) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeysDeep(x);
    }
    return out;
  }
  return v;
}

function byteOrder(a: string, b: string): number {
  const ea = new TextEncoder().encode(a);
  const eb = new TextEncoder().encode(b);
  for (let i = 0; i < ea.length && i < eb.length; i++) if (ea[i] !== eb[i]) return ea[i] - eb[i];
  return ea.length - eb.length;
}

const escapeHtml = (s: string) => s.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

export function toGoJson(value: unknown): string {
  return escapeHtml(JSON.stringify(sortKeysDeep(value), null, 4) ?? 'null') + '\n';
}

/** Go's json.Marshal (compact, sorted keys, HTML-escaped, no newline). */
export function toGoJsonCompact(value: unknown): string {
  return escapeHtml(JSON.stringify(sortKeysDeep(value)) ?? 'null');
}

/** json.MarshalIndent of a typed Go struct: keys in the object's own (struct) order, trailing newline. */
export function toGoJsonOrdered(value: unknown): string {
  return escapeHtml(JSON.stringify(value, null, 4) ?? 'null') + '\n';
}

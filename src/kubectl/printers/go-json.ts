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

export function toGoJson(value: unknown): string {
  const s = JSON.stringify(sortKeysDeep(value), null, 4) ?? 'null';
  return s.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '\n';
}

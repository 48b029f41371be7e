import { goIndent, goWrap } from './go-wrap';

/**
 * kubectl 1.32's OpenAPI v3 explain (the plaintext template of k8s.io/kubectl/pkg/explain/v2) over one
 * group-version document. Throws Error with kubectl's message for an unknown field.
 */
export type Schema = {
  $ref?: string;
  description?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  enum?: unknown[];
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
};
export interface OpenApiDoc {
  paths?: Record<string, Record<string, { 'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string } }>>;
  components?: { schemas?: Record<string, Schema> };
}

const mapSchema = (s: Schema): Schema | undefined => (s.additionalProperties && typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);

/** The template failed after printing `printed` (kubectl writes that much to stdout before the error). */
export class ExplainError extends Error {
  constructor(
    message: string,
    readonly printed = '',
  ) {
    super(message);
  }
}

export function explainDocument(doc: OpenApiDoc, gvr: { group: string; version: string; resource: string }, fieldPath: string[], recursive: boolean): string {
  const resolve = (ref: string | undefined): Schema | undefined => (ref ? doc.components?.schemas?.[ref.split('/').pop()!] : undefined);
  const prefix = gvr.group ? `/apis/${gvr.group}` : '/api';
  const base = `${prefix}/${gvr.version}`;
  const candidates = [`${base}/${gvr.resource}`, `${base}/${gvr.resource}/{name}`, `${base}/namespaces/{namespace}/${gvr.resource}`, `${base}/namespaces/{namespace}/${gvr.resource}/{name}`];
  let gvk: { group: string; version: string; kind: string } | undefined;
  for (const p of candidates) {
    const item = doc.paths?.[p];
    for (const m of ['get', 'post', 'put', 'patch', 'delete']) gvk ??= item?.[m]?.['x-kubernetes-group-version-kind'];
    if (gvk) break;
  }
  const gvrString = `${gvr.group ? `${gvr.group}/` : ''}${gvr.version}, Resource=${gvr.resource}`;
  if (!gvk) throw new ExplainError(`error: GVR (${gvrString}) not found in OpenAPI schema`);
  let out = gvk.group ? `GROUP:      ${gvk.group}\n` : '';
  out += `KIND:       ${gvk.kind}\nVERSION:    ${gvk.version}\n\n`;

  const typeGuess = (s: Schema): string => {
    if (s.items) return `[]${typeGuess(s.items)}`;
    const ap = mapSchema(s);
    if (ap) return `map[string]${typeGuess(ap)}`;
    if (s.allOf && !s.properties && s.allOf.length === 1) return typeGuess(s.allOf[0]);
    if (s.$ref) {
      const r = resolve(s.$ref);
      if (!r || !r.type || r.type === 'object') return s.$ref.split('/').pop()!.split('.').pop() || 'Object';
      return r.type;
    }
    return s.type === 'object' ? 'Object' : s.type || 'Object';
  };
  const description = (s: Schema): string => {
    const r = resolve(s.$ref) ?? s;
    let d = r.description ? `${r.description}\n` : '';
    for (const a of r.allOf ?? []) d += description(a);
    if (r.items) d += description(r.items);
    const ap = mapSchema(r);
    if (ap) d += description(ap);
    return d;
  };
  const enumText = (s: Schema, long: boolean, limit: number, indent: number): string => {
    if (!s.enum?.length) return '';
    let t = long ? 'ENUM:' : `\n${' '.repeat(indent)}enum: `;
    s.enum.forEach((e, i) => {
      if (limit > -1 && i >= limit) return;
      if (i > 0 && !long) t += ', ';
      else if (long) t += '\n    ';
      t += e === '' ? '""' : String(e);
    });
    if (limit > -1 && s.enum.length > limit) t += ', ....';
    return t;
  };
  const fieldList = (s: Schema, level: number, history: Set<string>): string => {
    if (s.$ref && history.has(s.$ref)) return '';
    const next = new Set(history);
    if (s.$ref) next.add(s.$ref);
    const r = resolve(s.$ref) ?? s;
    let t = '';
    for (const name of Object.keys(r.properties ?? {}).sort()) {
      const f = r.properties![name];
      const indent = level * 2;
      t += `${' '.repeat(indent)}${name}\t<${typeGuess(f)}>${r.required?.includes(name) ? ' -required-' : ''}${enumText(f, false, 4, indent)}\n`;
      if (!recursive) t += `${goIndent(goWrap(f.description || '<no description>', 78 - indent), indent + 2)}\n\n`;
      else t += fieldList(f, level + 1, next);
    }
    for (const a of r.allOf ?? []) t += fieldList(a, level, next);
    if (r.items) t += fieldList(r.items, level, next);
    const ap = mapSchema(r);
    if (ap) t += fieldList(ap, level, next);
    return t;
  };
  const output = (s: Schema, path: string[], history: Set<string>): string => {
    const ref = s.$ref ?? '';
    const resolved = resolve(ref) ?? s;
    if (!path.length) {
      let t = `DESCRIPTION:\n${goIndent(goWrap(description(resolved) || '<empty>', 76), 4)}\n`;
      const fields = fieldList(resolved, 1, new Set());
      if (fields) t += `FIELDS:\n${fields}`;
      return t;
    }
    if (ref && history.has(ref)) return '';
    const nextHistory = new Set(history).add(ref);
    const sub = resolved.properties?.[path[0]];
    if (sub) {
      const head = path.length === 1 ? `FIELD: ${path[0]} <${typeGuess(sub)}>\n${enumText(sub, true, -1, 0)}\n\n` : '';
      return head + output(sub, path.slice(1), new Set());
    }
    if (resolved.items) return output(resolved.items, path, nextHistory);
    const ap = mapSchema(resolved);
    if (ap) return output(ap, path, nextHistory);
    for (const a of resolved.allOf ?? []) {
      const t = output(a, path, nextHistory);
      if (t) return t;
    }
    return '';
  };

  const schema = Object.keys(doc.components?.schemas ?? {})
    .sort()
    .map((k) => doc.components!.schemas![k])
    .find((s) => s['x-kubernetes-group-version-kind']?.some((g) => g.group === gvk!.group && g.version === gvk!.version && g.kind === gvk!.kind));
  if (!schema) throw new ExplainError(`error: GVK ${gvk.group}/${gvk.version}, Kind=${gvk.kind} not found in OpenAPI schema`, out);
  const body = output(schema, fieldPath, new Set());
  if (!body) throw new ExplainError(`error: field "${fieldPath[fieldPath.length - 1]}" does not exist`, out);
  return `${out}${body}\n`;
}

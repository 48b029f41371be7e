import { GO_PKG_NAMES, GO_TYPES } from './pod-template-types';

/** One Go type declaration of pod-template-types.ts (written by scripts/gen-go-types.mjs). */
export type GoTypeDecl =
  | { struct: GoFieldDecl[] }
  | { basic: string }
  | { opaque: true };
/** [Go name, type, json name, omitempty, inline]; unexported fields have no json name. */
export type GoFieldDecl = [string, string] | [string, string, string, number] | [string, string, string, number, number];

export type GoKind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'slice' | 'map' | 'ptr' | 'struct' | 'opaque';

/** A resolved Go type: what reflect.Type.String() prints, its kind, and its parts. */
export interface GoType {
  name: string;
  kind: GoKind;
  /** The "<pkg>.<Name>" key of a named type (Quantity, Time, IntOrString are recognised by it). */
  key?: string;
  elem?: GoType;
  mapKey?: GoType;
  fields?: GoField[];
}

export interface GoField {
  name: string;
  type: GoType;
  /** The key to read in our JSON (the json name, or the Go name of an unexported field). */
  key: string;
  /** Go's encoding/json: the name written ('-': never), and omitempty. */
  json: string;
  omitempty: boolean;
  /** An embedded struct tagged `json:",inline"`: its fields live in the parent's JSON object. */
  inline: boolean;
}

const KINDS: Record<string, GoKind> = {
  bool: 'bool', string: 'string', float32: 'float', float64: 'float',
  int: 'int', int8: 'int', int16: 'int', int32: 'int', int64: 'int',
  uint: 'uint', uint8: 'uint', uint16: 'uint', uint32: 'uint', uint64: 'uint',
};

const cache = new Map<string, GoType>();

/** Resolves a type expression of pod-template-types.ts ("[]core.Container", "*int64", "map[string]string"). */
export function goType(expr: string): GoType {
  const hit = cache.get(expr);
  if (hit) return hit;
  let t: GoType;
  if (expr.startsWith('*')) {
    const elem = goType(expr.slice(1));
    t = { name: `*${elem.name}`, kind: 'ptr', elem };
  } else if (expr.startsWith('[]')) {
    const elem = goType(expr.slice(2));
    t = { name: `[]${elem.name}`, kind: 'slice', elem };
  } else if (expr.startsWith('map[')) {
    const close = expr.indexOf(']');
    const mapKey = goType(expr.slice(4, close));
    const elem = goType(expr.slice(close + 1));
    t = { name: `map[${mapKey.name}]${elem.name}`, kind: 'map', mapKey, elem };
  } else if (KINDS[expr]) {
    t = { name: expr, kind: KINDS[expr] };
  } else {
    const decl = GO_TYPES[expr];
    if (!decl) throw new Error(`go-hash: unknown Go type ${expr}`);
    const [pkg, local] = expr.split('.');
    const name = `${GO_PKG_NAMES[pkg]}.${local}`;
    if ('opaque' in decl) t = { name, kind: 'opaque', key: expr };
    else if ('basic' in decl) t = { ...goType(decl.basic), name, key: expr };
    else {
      // Registered before its fields resolve, so recursive types (JSONSchemaProps-like) terminate.
      t = { name, kind: 'struct', key: expr, fields: [] };
      cache.set(expr, t);
      t.fields = decl.struct.map(([fname, ftype, json, omitempty]) => ({ name: fname, type: goType(ftype), key: json && json !== '-' ? json : fname, json: json ?? '-', omitempty: omitempty === 1, inline: json === '' }));
    }
  }
  cache.set(expr, t);
  return t;
}

// Node-only: the protobuf wire reader and the schema-driven decoder that turns gogo-protobuf messages (as
// Kubernetes' generated.proto defines them) into the JSON kube's JSON serializer would write.

/**
 * Field types. Scalars follow Go's JSON tags: 'int'/'bool' are non-pointer `omitempty` (zero → omitted),
 * 'int*'/'bool*' are pointers or non-omitempty (kept when on the wire, even 0/false). 'int' decodes int32/int64
 * varints (negative two's complement too). 'intstr' is intstr.IntOrString, 'quantity' resource.Quantity (its
 * string), 'time' metav1.Time (RFC3339; the empty message of a zero time → null), 'quantityMap' a
 * map<string, Quantity>, 'bytesMap' a map<string, bytes> (base64, as []byte is in JSON).
 */
export type FieldType = 'string' | 'int' | 'int*' | 'bool' | 'bool*' | 'bytes' | 'map' | 'bytesMap' | 'quantityMap' | 'intstr' | 'quantity' | 'time' | Schema;

/**
 * A message schema: field number → [JSON name, type, flag]. flag true: repeated; 'always': repeated without
 * `omitempty` in Go (null when absent, as encoding/json writes a nil slice); 'inline': an embedded Go
 * struct (`json:",inline"`) whose fields are merged into the parent. Messages on the wire are always emitted
 * (an empty one as {}), as Go's encoding/json writes struct fields; unknown field numbers are skipped.
 */
export interface Schema {
  [field: number]: readonly [name: string, type: FieldType, flag?: boolean | 'inline' | 'always'];
}

const TWO_64 = 2n ** 64n;
const TWO_63 = 2n ** 63n;

export class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  /** A varint as a number; values ≥ 2^63 are negative int64s (two's complement), as Go decodes int64/int32. */
  varint(): number {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7n;
      if (shift > 63n) throw new Error('varint overflow');
    }
    return Number(result >= TWO_63 ? result - TWO_64 : result);
  }
  bytes(): Uint8Array {
    const n = this.varint();
    if (n < 0 || this.pos + n > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
    if (this.pos > this.buf.length) throw new Error('truncated field');
  }
}

const utf8 = new TextDecoder();

/** RFC3339 with second precision ("2006-01-02T15:04:05Z"), as metav1.Time marshals to JSON. */
function timeJson(bytes: Uint8Array): string | null {
  if (!bytes.length) return null;
  const t = decodeMessage(bytes, { 1: ['seconds', 'int*'], 2: ['nanos', 'int*'] }) as { seconds?: number };
  return new Date((t.seconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A map entry (key = 1, value = 2) with its value decoded by valueType. */
function mapEntry(bytes: Uint8Array, valueType: 'string' | 'bytes' | 'quantity'): [string, string] {
  const r = new Reader(bytes);
  let key = '';
  let value = '';
  while (r.pos < bytes.length) {
    const tag = r.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) key = utf8.decode(r.bytes());
    else if (tag >>> 3 === 2 && (tag & 7) === 2) {
      const b = r.bytes();
      value = valueType === 'bytes' ? Buffer.from(b).toString('base64') : valueType === 'quantity' ? quantity(b) : utf8.decode(b);
    } else r.skip(tag & 7);
  }
  return [key, value];
}

function quantity(bytes: Uint8Array): string {
  return (decodeMessage(bytes, { 1: ['string', 'string'] }).string as string | undefined) ?? '0';
}

function intOrString(bytes: Uint8Array): number | string {
  const v = decodeMessage(bytes, { 1: ['type', 'int'], 2: ['intVal', 'int*'], 3: ['strVal', 'string'] });
  return v.type === 1 ? ((v.strVal as string | undefined) ?? '') : ((v.intVal as number | undefined) ?? 0);
}

const MAP_VALUE = { map: 'string', bytesMap: 'bytes', quantityMap: 'quantity' } as const;

/** Decodes a message by schema into its JSON form (see FieldType and Schema for what is kept). */
export function decodeMessage(bytes: Uint8Array, schema: Schema): Record<string, unknown> {
  const r = new Reader(bytes);
  const out: Record<string, unknown> = {};
  while (r.pos < bytes.length) {
    const tag = r.varint();
    const spec = schema[tag >>> 3];
    const wire = tag & 7;
    if (!spec || (wire !== 2 && typeof spec[1] !== 'string') || (wire !== 0 && /^(int|bool)\*?$/.test(spec[1] as string))) {
      r.skip(wire);
      continue;
    }
    const [name, type, flag] = spec;
    let value: unknown;
    let omit = false;
    if (type === 'int' || type === 'int*') (value = r.varint()), (omit = type === 'int' && value === 0);
    else if (type === 'bool' || type === 'bool*') (value = r.varint() !== 0), (omit = type === 'bool' && value === false);
    else if (type === 'string') (value = utf8.decode(r.bytes())), (omit = value === '' && flag !== true && flag !== 'always');
    else if (type === 'bytes') value = Buffer.from(r.bytes()).toString('base64');
    else if (type === 'map' || type === 'bytesMap' || type === 'quantityMap') {
      const [k, v] = mapEntry(r.bytes(), MAP_VALUE[type]);
      out[name] = { ...((out[name] as object) ?? {}), [k]: v };
      continue;
    } else if (type === 'intstr') value = intOrString(r.bytes());
    else if (type === 'quantity') value = quantity(r.bytes());
    else if (type === 'time') (value = timeJson(r.bytes())), (omit = value === null && name !== 'creationTimestamp');
    else if (flag === 'inline') {
      Object.assign(out, decodeMessage(r.bytes(), type));
      continue;
    } else value = decodeMessage(r.bytes(), type);
    if (flag === true || flag === 'always') ((out[name] as unknown[] | undefined) ?? (out[name] = [])) && (out[name] as unknown[]).push(value);
    else if (!omit) out[name] = value;
  }
  for (const [name, , flag] of Object.values(schema)) if (flag === 'always' && !(name in out)) out[name] = null;
  return out;
}

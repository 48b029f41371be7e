import { describe, expect, it } from 'vitest';
import { fieldErrorString } from '../field-errors';
import { applyDefaults, pruneUnknown, validateValue, type JsonSchema } from './json-schema';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        port: { 'x-kubernetes-int-or-string': true },
        ratio: { type: 'number', exclusiveMinimum: true, minimum: 0, maximum: 1.5 },
        note: { type: 'string', nullable: true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        items: { type: 'array', minItems: 1, items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, size: { type: 'integer', default: 2 } } } },
        mode: { type: 'integer', enum: [1, 2] },
      },
    },
  },
};

const errs = (v: unknown) => validateValue(schema, v).map(fieldErrorString);

describe('json-schema', () => {
  it('validates like kube-openapi, with apiextensions field paths and messages', () => {
    expect(errs({ spec: { port: 80, ratio: 1, note: null, labels: { a: 'b' }, items: [{ name: 'x' }], mode: 2 } })).toEqual([]);
    expect(errs({ spec: { port: 'http' } })).toEqual([]);
    expect(errs({ spec: { port: true, ratio: 0, labels: { a: 1 }, items: [], mode: 3 } })).toEqual([
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
      'spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0',
      'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
      'spec.items: Invalid value: 0: spec.items in body should have at least 1 items',
      'spec.mode: Unsupported value: 3: supported values: "1", "2"',
    ]);
    expect(errs({ spec: { ratio: 2.5, items: [{ size: 1.5 }] } })).toEqual([
      'spec.ratio: Invalid value: 2.5: spec.ratio in body should be less than or equal to 1.5',
      'spec.items[0].name: Required value',
      'spec.items[0].size: Invalid value: "number": spec.items[0].size in body must be of type integer: "number"',
    ]);
    expect(errs({ spec: null })).toEqual(['spec: Invalid value: "null": spec in body must be of type object: "null"']);
  });

  it('defaults absent fields inside arrays and prunes unknown fields except under additionalProperties', () => {
    const obj = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', junk: 1 }, top: 1, spec: { labels: { any: 'thing' }, items: [{ name: 'a', extra: true }], note: null } };
    expect(pruneUnknown(schema, obj, true)).toEqual(['top', 'spec.items[0].extra']);
    applyDefaults(schema, obj);
    expect(obj).toEqual({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a', junk: 1 }, spec: { labels: { any: 'thing' }, items: [{ name: 'a', size: 2 }], note: null } });
  });
});

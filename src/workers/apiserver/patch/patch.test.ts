import { describe, expect, it } from 'vitest';
import { applyJsonPatch, PatchError } from './json-patch';
import { applyMergePatch } from './merge-patch';
import { applyStrategicMergePatch } from './strategic-merge-patch';

describe('applyJsonPatch', () => {
  const doc = { a: { b: [1, 2, 3] }, c: 'x' };
  it('supports add, remove, replace, move, copy and test', () => {
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/a/b/-', value: 4 }])).toEqual({ a: { b: [1, 2, 3, 4] }, c: 'x' });
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/a/b/0', value: 0 }])).toEqual({ a: { b: [0, 1, 2, 3] }, c: 'x' });
    expect(applyJsonPatch(doc, [{ op: 'remove', path: '/a/b/1' }])).toEqual({ a: { b: [1, 3] }, c: 'x' });
    expect(applyJsonPatch(doc, [{ op: 'replace', path: '/c', value: 'y' }])).toEqual({ a: { b: [1, 2, 3] }, c: 'y' });
    expect(applyJsonPatch(doc, [{ op: 'move', from: '/c', path: '/d' }])).toEqual({ a: { b: [1, 2, 3] }, d: 'x' });
    expect(applyJsonPatch(doc, [{ op: 'copy', from: '/c', path: '/a/e' }])).toEqual({ a: { b: [1, 2, 3], e: 'x' }, c: 'x' });
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/a/b', value: [1, 2, 3] }])).toEqual(doc);
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/m~1n', value: 1 }])).toMatchObject({ 'm/n': 1 });
  });
  it('fails without changing the input', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/c', value: 'z' }])).toThrow('testing value /c failed: test failed');
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/nope' }])).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/x/y', value: 1 }])).toThrow(/doc is missing path/);
    expect(doc).toEqual({ a: { b: [1, 2, 3] }, c: 'x' });
  });
});

describe('applyMergePatch', () => {
  it('merges objects, deletes nulls and replaces lists', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });
});

describe('applyStrategicMergePatch', () => {
  const pod = {
    metadata: { finalizers: ['a'], labels: { x: '1' } },
    spec: {
      containers: [
        { name: 'app', image: 'v1', env: [{ name: 'A', value: '1' }] },
        { name: 'side', image: 's1' },
      ],
      tolerations: [{ key: 't' }],
    },
  };
  it('merges keyed lists by their merge key and replaces unkeyed ones', () => {
    const out = applyStrategicMergePatch(pod, {
      spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '2' }] }, { name: 'new', image: 'n' }], tolerations: [{ key: 'u' }] },
    }) as any;
    expect(out.spec.containers.map((c: any) => c.name)).toEqual(['app', 'side', 'new']);
    expect(out.spec.containers[0]).toEqual({ name: 'app', image: 'v1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] });
    expect(out.spec.tolerations).toEqual([{ key: 'u' }]);
  });
  it('honours $patch directives, set lists and primitive deletions', () => {
    const out = applyStrategicMergePatch(pod, {
      metadata: { finalizers: ['b'], labels: { $patch: 'replace', y: '2' } },
      spec: { containers: [{ name: 'side', $patch: 'delete' }] },
    }) as any;
    expect(out.metadata.finalizers).toEqual(['a', 'b']);
    expect(out.metadata.labels).toEqual({ y: '2' });
    expect(out.spec.containers.map((c: any) => c.name)).toEqual(['app']);
    const del = applyStrategicMergePatch(pod, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }) as any;
    expect(del.metadata.finalizers).toEqual([]);
    const order = applyStrategicMergePatch(pod, { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }] } }) as any;
    expect(order.spec.containers.map((c: any) => c.name)).toEqual(['side', 'app']);
  });
});

describe('strategic merge patch on Service ports', () => {
  it('merges ServiceSpec.ports by port (containers keep containerPort)', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 30080 }, { port: 443, protocol: 'TCP' }] } };
    const out = applyStrategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }) as any;
    expect(out.spec.ports).toEqual([{ port: 80, targetPort: 9090, protocol: 'TCP', nodePort: 30080 }, { port: 443, protocol: 'TCP' }]);
  });
});

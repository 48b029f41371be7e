import { describe, expect, it } from 'vitest';
import type { KeyValue, StoreEvent } from '../../../storage/store';
import { podStrategy } from '../registry/pod-strategy';
import { predicateFor } from '../selection';
import { probeCache } from '../shared-decodes';
import { translate } from './watch';

const kv = (rev: number, nodeName: string | undefined, labels: Record<string, string> = {}): KeyValue => ({
  key: '/registry/pods/default/p',
  value: JSON.stringify({ metadata: { name: 'p', namespace: 'default', labels }, spec: nodeName ? { nodeName } : {} }),
  createRevision: 1,
  modRevision: rev,
  version: rev,
  lease: 0,
});
const put = (cur: KeyValue, prev?: KeyValue): StoreEvent => (prev ? { type: 'PUT', kv: cur, prevKv: prev } : { type: 'PUT', kv: cur });

describe('watch translate with a shared probe', () => {
  it('turns selector transitions into ADDED / MODIFIED / DELETED, as without a probe', () => {
    const onN1 = predicateFor(podStrategy, { fieldSelector: 'spec.nodeName=n1' });
    const probe = probeCache(podStrategy);
    const events: [StoreEvent, string | undefined][] = [
      [put(kv(2, undefined)), undefined],
      [put(kv(3, 'n1'), kv(2, undefined)), 'ADDED'],
      [put(kv(4, 'n1', { a: 'b' }), kv(3, 'n1')), 'MODIFIED'],
      [put(kv(5, 'n2'), kv(4, 'n1', { a: 'b' })), 'DELETED'],
      [{ type: 'DELETE', kv: kv(6, 'n2'), prevKv: kv(5, 'n2') }, undefined],
    ];
    for (const [ev, want] of events) {
      expect(translate(ev, onN1, podStrategy, probe)?.type).toBe(want);
      expect(translate(ev, onN1, podStrategy)?.type).toBe(want);
    }
    expect(translate(put(kv(5, 'n2'), kv(4, 'n1')), onN1, podStrategy, probe)?.obj.metadata?.resourceVersion).toBe('5');
  });

  it('emits each watcher its own object, never the shared decode', () => {
    const probe = probeCache(podStrategy);
    const onN1 = predicateFor(podStrategy, { fieldSelector: 'spec.nodeName=n1' });
    const ev = put(kv(3, 'n1'));
    const a = translate(ev, onN1, podStrategy, probe)!.obj;
    a.metadata!.labels = { mutated: 'yes' };
    const b = translate(ev, onN1, podStrategy, probe)!.obj;
    expect(b.metadata?.labels).toEqual({});
    expect(b).not.toBe(probe(ev.kv));
    expect(probe(ev.kv)).toBe(probe(ev.kv));
    expect(probe(ev.kv).metadata?.labels).toEqual({});
  });

  it('an empty selector sees every event, deletes included', () => {
    const all = predicateFor(podStrategy, {});
    expect(translate(put(kv(2, undefined)), all, podStrategy)?.type).toBe('ADDED');
    expect(translate(put(kv(3, 'n1'), kv(2, undefined)), all, podStrategy)?.type).toBe('MODIFIED');
    const del = translate({ type: 'DELETE', kv: kv(4, 'n1'), prevKv: kv(3, 'n1') }, all, podStrategy);
    expect(del?.type).toBe('DELETED');
    expect(del?.obj.metadata?.resourceVersion).toBe('4');
  });

  it('shared (clients get structured clones): every watcher emits the one decode per revision, with the same types and resourceVersions', () => {
    const probe = probeCache(podStrategy);
    const all = predicateFor(podStrategy, {});
    const onN1 = predicateFor(podStrategy, { fieldSelector: 'spec.nodeName=n1' });
    const ev = put(kv(3, 'n1'), kv(2, undefined));
    const a = translate(ev, all, podStrategy, probe, true)!;
    const b = translate(ev, onN1, podStrategy, probe, true)!;
    expect([a.type, b.type]).toEqual(['MODIFIED', 'ADDED']);
    expect(a.obj).toBe(b.obj);
    expect(a.obj).toBe(probe(ev.kv));
    expect(a.obj.metadata?.resourceVersion).toBe('3');
    const del = translate({ type: 'DELETE', kv: kv(4, 'n1'), prevKv: kv(3, 'n1') }, all, podStrategy, probe, true)!;
    expect(del.type).toBe('DELETED');
    expect(del.obj.metadata?.resourceVersion).toBe('4');
    expect(translate({ type: 'DELETE', kv: kv(4, 'n1'), prevKv: kv(3, 'n1') }, all, podStrategy, probe, false)!.obj).toEqual(del.obj);
  });
});

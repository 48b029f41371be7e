import { describe, expect, it } from 'vitest';
import { camelSplit, describeGeneric, smartLabelFor } from './describe-generic';

describe('generic describer', () => {
  it('labels fields as kubectl does', () => {
    expect(camelSplit('HTTPServerURL2x')).toEqual(['HTTP', 'Server', 'URL', '2', 'x']);
    expect(smartLabelFor('holderIdentity')).toBe('Holder Identity');
    expect(smartLabelFor('apiVersion')).toBe('API Version');
    expect(smartLabelFor('uid')).toBe('UID');
    expect(smartLabelFor('k8s.io/x')).toBe('k8s.io/x');
  });

  it('prints every field nested and sorted, skipping the metadata it shows above', () => {
    const text = describeGeneric(
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'ns', uid: 'u', managedFields: [{}] }, spec: { holderIdentity: 'me', leaseDurationSeconds: 15, list: ['a', { b: true }] } },
      undefined,
      0,
    );
    expect(text).toBe(
      'Name:         l\nNamespace:    ns\nLabels:       <none>\nAnnotations:  <none>\nAPI Version:  coordination.k8s.io/v1\nKind:         Lease\nMetadata:\n  UID:  u\nSpec:\n' +
        '  Holder Identity:         me\n  Lease Duration Seconds:  15\n  List:\n    a\n    B:  true\n',
    );
  });
});

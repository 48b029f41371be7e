import { describe, expect, it } from 'vitest';
import { previewOriginFor, relayTargetAllowed } from './preview-origin';

describe('previewOriginFor', () => {
  it('pairs localhost with 127.0.0.1 on the same port and scheme, and has no twin for other hosts', () => {
    expect(previewOriginFor({ protocol: 'http:', hostname: 'localhost', port: '5173' })).toBe('http://127.0.0.1:5173');
    expect(previewOriginFor({ protocol: 'http:', hostname: '127.0.0.1', port: '4173' })).toBe('http://localhost:4173');
    expect(previewOriginFor({ protocol: 'https:', hostname: 'localhost', port: '' })).toBe('https://127.0.0.1');
    expect(previewOriginFor({ protocol: 'https:', hostname: 'tabernetes.example', port: '' })).toBeUndefined();
    expect(previewOriginFor({ protocol: 'http:', hostname: '[::1]', port: '80' })).toBeUndefined();
  });
});

describe('relayTargetAllowed', () => {
  it('refuses the apiserver in any spelling and malformed targets, allows the other scopes', () => {
    for (const t of ['api/api/v1/secrets', 'api', 'API/x', '%61pi/api/v1/pods', 'api?watch=1', '%E0/x', 42, undefined]) expect(relayTargetAllowed(t)).toBe(false);
    for (const t of ['pod/default/web:80/data.json', 'svc/default/web:80/', 'nodeport/30080/', 'ingress/a.example/x', 'portforward/8080/', 'apis/x']) expect(relayTargetAllowed(t)).toBe(true);
  });
});

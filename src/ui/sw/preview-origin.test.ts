import { describe, expect, it } from 'vitest';
import { previewOriginFor, relayTargetAllowed } from './preview-origin';

describe('previewOriginFor', () => {
  it("keeps the app's scheme and host and takes the preview port", () => {
    expect(previewOriginFor({ protocol: 'http:', hostname: '127.0.0.1' }, 4174)).toBe('http://127.0.0.1:4174');
    expect(previewOriginFor({ protocol: 'https:', hostname: 'localhost' }, 5174)).toBe('https://localhost:5174');
  });
});

describe('relayTargetAllowed', () => {
  it('refuses the apiserver in any spelling and malformed targets, allows the other scopes', () => {
    for (const t of ['api/api/v1/secrets', 'api', 'API/x', '%61pi/api/v1/pods', 'api?watch=1', '%E0/x', 42, undefined]) expect(relayTargetAllowed(t)).toBe(false);
    for (const t of ['pod/default/web:80/data.json', 'svc/default/web:80/', 'nodeport/30080/', 'ingress/a.example/x', 'portforward/8080/', 'apis/x']) expect(relayTargetAllowed(t)).toBe(true);
  });
});

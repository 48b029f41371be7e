import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { resourceFieldValue } from './resource-field';

const pod: Pod = {
  metadata: { name: 'p' },
  spec: {
    containers: [
      { name: 'app', image: 'busybox', resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '100m', memory: '32Mi' } } },
      { name: 'side', image: 'busybox' },
    ],
  },
};
const [app, side] = pod.spec!.containers;

describe('resourceFieldValue', () => {
  it('divides cpu in millicores (rounding up) and memory in bytes, per divisor', () => {
    expect(resourceFieldValue(pod, app, { resource: 'limits.cpu' })).toBe('1');
    expect(resourceFieldValue(pod, app, { resource: 'limits.cpu', divisor: '1m' })).toBe('250');
    expect(resourceFieldValue(pod, app, { resource: 'requests.cpu', divisor: '1m' })).toBe('100');
    expect(resourceFieldValue(pod, app, { resource: 'limits.memory', divisor: '1Mi' })).toBe('64');
    expect(resourceFieldValue(pod, app, { resource: 'limits.memory' })).toBe(String(64 * 2 ** 20));
    expect(resourceFieldValue(pod, app, { resource: 'requests.memory', divisor: '1Gi' })).toBe('1');
  });

  it("an unset limit reads the node's allocatable, an unset request 0; containerName picks another container", () => {
    const allocatable = { cpu: '2', memory: '4Gi' };
    expect(resourceFieldValue(pod, side, { resource: 'limits.cpu', divisor: '1m' }, allocatable)).toBe('2000');
    expect(resourceFieldValue(pod, side, { resource: 'limits.memory', divisor: '1Mi' }, allocatable)).toBe('4096');
    expect(resourceFieldValue(pod, side, { resource: 'requests.cpu' }, allocatable)).toBe('0');
    expect(resourceFieldValue(pod, side, { resource: 'limits.cpu', containerName: 'app', divisor: '1m' }, allocatable)).toBe('250');
  });
});

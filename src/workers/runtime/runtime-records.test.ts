import { describe, expect, it } from 'vitest';
import { plainCopy, publicSandbox, publicStatus, type ContainerRecord, type SandboxRecord } from './runtime-records';

describe('public views of runtime records', () => {
  const c: ContainerRecord = {
    id: 'c1', podSandboxId: 's1', metadata: { name: 'app', attempt: 0 }, state: 'CONTAINER_RUNNING', createdAt: 1, startedAt: 2,
    image: { image: 'pause' }, imageRef: 'pause@sha256:x', logPath: '/var/log/pods/p/app/0.log', labels: { a: 'b' },
    imageId: 'sha256:x', args: ['/pause'], env: ['A=1'], workingDir: '/', mounts: [{ containerPath: '/v', hostPath: '/h', readonly: false }] as never,
  };

  it('drop the runtime-private fields and are deep copies the caller may change', () => {
    const v = publicStatus(c);
    expect(v).toEqual({ id: 'c1', podSandboxId: 's1', metadata: { name: 'app', attempt: 0 }, state: 'CONTAINER_RUNNING', createdAt: 1, startedAt: 2, image: { image: 'pause' }, imageRef: 'pause@sha256:x', logPath: '/var/log/pods/p/app/0.log', labels: { a: 'b' } });
    v.labels.a = 'changed';
    v.metadata.attempt = 9;
    expect(c.labels.a).toBe('b');
    expect(c.metadata.attempt).toBe(0);
    const s: SandboxRecord = { id: 's1', metadata: { name: 'p', namespace: 'default', uid: 'u', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 1, labels: { x: 'y' }, config: {} as never };
    const sv = publicSandbox(s);
    expect(sv).toEqual({ id: 's1', metadata: { name: 'p', namespace: 'default', uid: 'u', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 1, labels: { x: 'y' } });
    sv.labels.x = 'z';
    expect(s.labels.x).toBe('y');
  });

  it('plainCopy copies nested arrays and objects, keeps primitives', () => {
    const src = { a: [1, { b: 'c' }], d: null, e: undefined, f: { g: [true] } };
    const copy = plainCopy(src);
    expect(copy).toEqual(src);
    expect(copy.a).not.toBe(src.a);
    expect(copy.a[1]).not.toBe(src.a[1]);
    expect(copy.f.g).not.toBe(src.f.g);
  });
});

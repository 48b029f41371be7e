import { describe, expect, it } from 'vitest';
import { InvalidReferenceError, parseImageRef } from './image-ref';

describe('parseImageRef', () => {
  it.each([
    ['hello-world', 'docker.io/library/hello-world:latest'],
    ['hello-world:1.0', 'docker.io/library/hello-world:1.0'],
    ['foo/bar:1', 'docker.io/foo/bar:1'],
    ['docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['index.docker.io/busybox', 'docker.io/library/busybox:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['ghcr.io/a/b/c:v2', 'ghcr.io/a/b/c:v2'],
    [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
    [`nginx:1.27@sha256:${'b'.repeat(64)}`, `docker.io/library/nginx:1.27@sha256:${'b'.repeat(64)}`],
  ])('%s → %s', (input, ref) => {
    expect(parseImageRef(input).ref).toBe(ref);
  });

  it('rejects malformed references with distribution/reference texts', () => {
    expect(() => parseImageRef('Hello')).toThrow(new InvalidReferenceError('invalid reference format: repository name (library/Hello) must be lowercase'));
    expect(() => parseImageRef('a b')).toThrow('invalid reference format');
    expect(() => parseImageRef('nginx@sha256:xyz')).toThrow('invalid reference format');
    expect(() => parseImageRef('')).toThrow('invalid reference format');
  });
});

/**
 * Docker-style image reference normalisation (github.com/distribution/reference ParseNormalizedNamed +
 * TagNameOnly): `hello-world` → docker.io/library/hello-world:latest, `foo/bar:1` → docker.io/foo/bar:1,
 * `ghcr.io/a/b@sha256:…` keeps its digest and gets no tag.
 */
export interface ImageRef {
  /** Repository with domain: docker.io/library/hello-world */
  repository: string;
  tag?: string;
  digest?: string;
  /** The canonical string: repository:tag, repository@digest or repository:tag@digest. */
  ref: string;
}

export class InvalidReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidReferenceError';
  }
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Throws InvalidReferenceError with distribution/reference's texts ('invalid reference format', …). */
export function parseImageRef(input: string): ImageRef {
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new InvalidReferenceError('invalid reference format');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new InvalidReferenceError('invalid reference format');
  }
  if (rest === '') throw new InvalidReferenceError('invalid reference format');
  let domain = 'docker.io';
  let path = rest;
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    domain = first;
    path = rest.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (path !== path.toLowerCase()) throw new InvalidReferenceError(`invalid reference format: repository name (${path}) must be lowercase`);
  if (!path.split('/').every((c) => COMPONENT.test(c))) throw new InvalidReferenceError('invalid reference format');
  const repository = `${domain}/${path}`;
  if (!tag && !digest) tag = 'latest';
  const ref = `${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { repository, tag, digest, ref };
}

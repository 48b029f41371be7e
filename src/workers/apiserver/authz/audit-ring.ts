/** One finished request, as an audit.k8s.io Event's essentials. */
export interface AuditEntry {
  /** RFC 3339 time the response was ready (cluster time). */
  time: string;
  user: string;
  /** Who made the request when it impersonated `user`. */
  impersonatedBy?: string;
  verb: string;
  /** resource[/subresource] ('' for non-resource requests). */
  resource: string;
  namespace: string;
  name: string;
  /** Path with its query string. */
  uri: string;
  code: number;
  /** Cluster-time milliseconds from receipt to the response (for watches and exec: until the stream opened). */
  latencyMs?: number;
  /** The Event's annotations: authorization.k8s.io/decision and /reason, then admission's (ValidatingAdmissionPolicy auditAnnotations, validation_failure). */
  annotations?: Record<string, string>;
}

const annotationsByRequest = new WeakMap<object, Record<string, string>>();

/**
 * admission.Attributes.AddAnnotation for the request object the handlers were given: the first value
 * set for a key is kept (kube refuses to overwrite one with a different value). Returns whether it was set.
 */
export function addAuditAnnotation(req: object, key: string, value: string): boolean {
  let m = annotationsByRequest.get(req);
  if (!m) annotationsByRequest.set(req, (m = {}));
  if (key in m && m[key] !== value) return false;
  m[key] = value;
  return true;
}

/** The annotations recorded for req, if any. */
export function auditAnnotationsOf(req: object): Record<string, string> | undefined {
  return annotationsByRequest.get(req);
}

/** The last `size` requests, oldest first; push is O(1). */
export class AuditRing {
  private readonly buf: AuditEntry[] = [];
  private next = 0;

  constructor(readonly size = 500) {}

  push(e: AuditEntry): void {
    if (this.buf.length < this.size) this.buf.push(e);
    else this.buf[this.next] = e;
    this.next = (this.next + 1) % this.size;
  }

  entries(): AuditEntry[] {
    return this.buf.length < this.size ? [...this.buf] : [...this.buf.slice(this.next), ...this.buf.slice(0, this.next)];
  }
}

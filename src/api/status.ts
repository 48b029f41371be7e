import type { Status, StatusCause } from 'kubernetes-types/meta/v1';

/** metav1.Status reasons used by the apiserver, with the HTTP code each one carries. */
export const StatusReasons = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Invalid: 422,
  UnsupportedMediaType: 415,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
} as const;

export type StatusReason = keyof typeof StatusReasons;

export function failureStatus(
  reason: StatusReason,
  message: string,
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[] },
): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code: StatusReasons[reason] };
  if (details) s.details = details;
  return s;
}

export function isStatus(x: unknown): x is Status {
  return !!x && typeof x === 'object' && (x as { kind?: string }).kind === 'Status';
}

/** An API error as clients see it: the HTTP code and the Status the server sent. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: Status,
  ) {
    super(status.message ?? `the server responded with status ${code}`);
    this.name = 'ApiError';
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

/**
 * A kubelet's refusal of exec/attach (its text/plain answer) as kube-apiserver's StreamTranslator reports it to
 * a v5.channel.k8s.io WebSocket client: the WebSocket is upgraded before the kubelet is dialed, so client-go's
 * "unable to upgrade connection: <text>" arrives wrapped as an InternalError Status on channel 3.
 */
export function upgradeRefusedStatus(kubeletText: string): Status {
  const cause = `unable to upgrade connection: ${kubeletText.trim()}`;
  return failureStatus('InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] });
}

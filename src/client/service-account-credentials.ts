import type { Clock } from '../api/clock';
import type { ApiHandler, ApiRequest, ApiResponse, StreamOpen } from '../api/protocol';
import type { ApiTransport } from './api-client';

export interface ServiceAccountCredentialsOptions {
  /** The component's own connection (its identity creates the service account and requests its tokens). */
  transport: ApiTransport;
  clock: Clock;
  namespace: string;
  name: string;
  /** TokenRequest spec.expirationSeconds (default 3600, as kube-controller-manager's client builder asks). */
  expirationSeconds?: number;
}

/**
 * client-go's DynamicControllerClientBuilder (kube-controller-manager --use-service-account-credentials):
 * a transport whose requests carry a bearer token of the ServiceAccount namespace/name, so the apiserver
 * sees `system:serviceaccount:<ns>:<name>`. On first use it gets the ServiceAccount through `transport`
 * (creating it when absent) and requests a token (serviceaccounts/<name>/token); the token is renewed once
 * 80% of its life has passed in cluster time, and after a 401 the request is retried once with a new token.
 * Failures to obtain a token reject the request (callers retry as for any transport error).
 */
export function serviceAccountTransport(opts: ServiceAccountCredentialsOptions): ApiHandler {
  const { transport: t, clock, namespace, name } = opts;
  const expirationSeconds = opts.expirationSeconds ?? 3600;
  const saPath = `/api/v1/namespaces/${namespace}/serviceaccounts`;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fail = (what: string, res: ApiResponse) => new Error(`${what} for service account ${namespace}/${name}: ${(res.body as { message?: string })?.message ?? res.status}`);

  async function fetchToken(): Promise<string> {
    const got = await t.request({ method: 'GET', path: `${saPath}/${name}` });
    if (got.status === 404) {
      const made = await t.request({ method: 'POST', path: saPath, body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } } });
      if (made.status !== 201 && made.status !== 409) throw fail('create', made);
    } else if (got.status !== 200) throw fail('get', got);
    const issued = clock.now();
    const res = await t.request({ method: 'POST', path: `${saPath}/${name}/token`, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } } });
    if (res.status !== 201) throw fail('token request', res);
    const status = (res.body as { status: { token: string; expirationTimestamp: string } }).status;
    const expires = Date.parse(status.expirationTimestamp);
    cached = { token: status.token, renewAt: issued + 0.8 * (Number.isFinite(expires) ? expires - issued : expirationSeconds * 1000) };
    return status.token;
  }

  function token(): Promise<string> {
    if (cached && clock.now() < cached.renewAt) return Promise.resolve(cached.token);
    return (pending ??= fetchToken().finally(() => (pending = undefined)));
  }

  async function withToken<R extends ApiResponse>(req: ApiRequest, send: (r: ApiRequest) => Promise<R>): Promise<R> {
    const first = await send({ ...req, bearerToken: await token() });
    if (first.status !== 401) return first;
    cached = undefined;
    return send({ ...req, bearerToken: await token() });
  }

  // Called as methods so a Comlink proxy as `t` reaches the remote functions.
  return {
    request: (req) => withToken(req, (r) => t.request(r)),
    stream: (req) => withToken<StreamOpen>(req, (r) => t.stream(r)),
    read: (id) => t.read(id),
    cancel: (id) => t.cancel(id),
    write: async (id, input) => (t as ApiHandler).write?.(id, input),
  };
}

import type { Remote } from 'comlink';
import type { ApiHandler, ApiRequest, ApiResponse, WatchEvent } from '../api/protocol';
import { ApiError, isStatus, failureStatus } from '../api/status';
import { resourcePath, type ResourceRef } from '../api/resources';
import type { Disposable } from '../api/disposable';

/** Any apiserver endpoint: the in-process handler (tests, Node) or its Comlink proxy (browser). */
export type ApiTransport = ApiHandler | Remote<ApiHandler>;

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  dryRun?: 'All';
  fieldManager?: string;
  force?: boolean;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const patchContentTypes: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface KubeList<T> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export interface WatchHandlers<T> {
  onEvent(ev: WatchEvent<T>): void;
  /** The stream ended: err is an ApiError for an ERROR event / failed open (e.g. 410 Gone), undefined for a normal close. */
  onClose?(err?: ApiError | Error): void;
}

function queryOf(opts: object | undefined): Record<string, string> | undefined {
  if (!opts) return undefined;
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts)) if (v !== undefined && v !== '') q[k] = String(v);
  return Object.keys(q).length ? q : undefined;
}

/**
 * The typed API client every component uses (client-go's role). Errors: every method rejects with
 * ApiError carrying the server's Status for non-2xx answers; transport failures reject as they come.
 */
export class ApiClient {
  constructor(
    readonly transport: ApiTransport,
    private readonly userAgent = 'tabernetes',
    /** Receives the text of each warning the server sends (`Warning: 299 - "text"` headers), in order. */
    private readonly onWarning?: (text: string) => void,
  ) {}

  /** The same client whose responses' warnings go to sink (kubectl prints them on stderr). */
  withWarnings(sink: (text: string) => void): ApiClient {
    return new ApiClient(this.transport, this.userAgent, sink);
  }

  /**
   * A client whose requests carry `as` (kubectl --as/--as-group/--as-uid); the apiserver checks the
   * impersonate verb for the real user and then acts as `as`.
   */
  impersonating(as: NonNullable<ApiRequest['impersonate']>): ApiClient {
    const t = this.transport;
    // Called as a method: on a Comlink proxy only `t.write(...)` reaches the remote write().
    const w = t as unknown as { write?(id: string, input: Parameters<NonNullable<ApiHandler['write']>>[1]): Promise<void> };
    const wrapped: ApiHandler = {
      request: (req) => t.request({ ...req, impersonate: as }),
      stream: (req) => t.stream({ ...req, impersonate: as }),
      read: (id) => t.read(id),
      cancel: (id) => t.cancel(id),
      write: async (id, input) => w.write?.(id, input),
    };
    return new ApiClient(wrapped, this.userAgent, this.onWarning);
  }

  /** Sends a raw request; resolves with the response whatever its status (its warnings go to onWarning first). */
  async raw(req: ApiRequest): Promise<ApiResponse> {
    const res = await this.transport.request({ userAgent: this.userAgent, ...req });
    if (this.onWarning && res.headers) this.reportWarnings(res.headers);
    return res;
  }

  private reportWarnings(headers: Record<string, string>): void {
    for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === 'warning') for (const w of parseWarningHeader(v)) this.onWarning?.(w);
  }

  /** Sends a request and returns the body of a 2xx answer; rejects ApiError otherwise. */
  async call<T>(req: ApiRequest): Promise<T> {
    const res = await this.raw(req);
    if (res.status >= 200 && res.status < 300) return res.body as T;
    throw toApiError(res);
  }

  get<T>(ref: ResourceRef, name: string, namespace?: string, subresource?: string): Promise<T> {
    return this.call<T>({ method: 'GET', path: resourcePath(ref, namespace, name, subresource) });
  }

  list<T>(ref: ResourceRef, namespace?: string, opts?: ListOptions): Promise<KubeList<T>> {
    return this.call<KubeList<T>>({ method: 'GET', path: resourcePath(ref, namespace), query: queryOf(opts) });
  }

  create<T extends { metadata?: { namespace?: string } }>(ref: ResourceRef, obj: T, namespace?: string, opts?: WriteOptions, subresourceOf?: { name: string; subresource: string }): Promise<T> {
    const ns = namespace ?? obj.metadata?.namespace;
    const path = subresourceOf ? resourcePath(ref, ns, subresourceOf.name, subresourceOf.subresource) : resourcePath(ref, ns);
    return this.call<T>({ method: 'POST', path, body: obj, query: queryOf(opts) });
  }

  update<T extends { metadata?: { namespace?: string; name?: string } }>(ref: ResourceRef, obj: T, subresource?: string, opts?: WriteOptions): Promise<T> {
    const path = resourcePath(ref, obj.metadata?.namespace, obj.metadata?.name ?? '', subresource);
    return this.call<T>({ method: 'PUT', path, body: obj, query: queryOf(opts) });
  }

  patch<T>(ref: ResourceRef, name: string, namespace: string | undefined, type: PatchType, patch: unknown, subresource?: string, opts?: WriteOptions): Promise<T> {
    return this.call<T>({
      method: 'PATCH',
      path: resourcePath(ref, namespace, name, subresource),
      body: patch,
      contentType: patchContentTypes[type],
      query: queryOf(opts),
    });
  }

  delete<T = unknown>(ref: ResourceRef, name: string, namespace?: string, body?: { propagationPolicy?: string; gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } }, opts?: WriteOptions): Promise<T> {
    return this.call<T>({ method: 'DELETE', path: resourcePath(ref, namespace, name), body, query: queryOf(opts) });
  }

  /**
   * Watches a collection. Events arrive in order; the returned Disposable cancels the stream
   * (no onEvent after dispose returns; onClose is not called for a disposal).
   */
  watch<T>(ref: ResourceRef, namespace: string | undefined, opts: WatchOptions, handlers: WatchHandlers<T>): Disposable {
    const req: ApiRequest = { method: 'GET', path: resourcePath(ref, namespace), query: { ...queryOf(opts), watch: 'true' }, watchEventsAsJson: true };
    return this.openStream<WatchEvent<T> | string>(req, (chunk) => {
      const ev = typeof chunk === 'string' ? (JSON.parse(chunk) as WatchEvent<T>) : chunk;
      if (ev.type === 'ERROR') {
        handlers.onClose?.(isStatus(ev.object) ? new ApiError(ev.object.code ?? 500, ev.object) : new Error('watch error'));
        return false;
      }
      handlers.onEvent(ev);
      return true;
    }, handlers.onClose);
  }

  /**
   * Opens any stream (watch, logs with follow) and pumps its chunks to onChunk until it returns false,
   * the server ends it (onClose()), it fails (onClose(err)), or the Disposable is disposed.
   */
  openStream<C>(req: ApiRequest, onChunk: (chunk: C) => boolean | void, onClose?: (err?: ApiError | Error) => void): Disposable {
    let stopped = false;
    let streamId: string | undefined;
    const finish = (err?: ApiError | Error) => {
      if (stopped) return;
      stopped = true;
      if (streamId) void this.transport.cancel(streamId).catch(() => undefined);
      onClose?.(err);
    };
    void (async () => {
      try {
        const open = await this.transport.stream({ userAgent: this.userAgent, ...req });
        if (this.onWarning && open.headers) this.reportWarnings(open.headers);
        if (open.status !== 200 || !open.streamId) return finish(toApiError(open));
        streamId = open.streamId;
        if (stopped) return void this.transport.cancel(streamId).catch(() => undefined);
        for (;;) {
          const batch = (await this.transport.read(streamId)) as C[] | null;
          if (stopped) return;
          if (batch === null) return finish();
          for (const chunk of batch) {
            if (stopped) return;
            if (onChunk(chunk) === false) return finish();
          }
        }
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      }
    })();
    return {
      dispose: () => {
        if (stopped) return;
        stopped = true;
        if (streamId) void this.transport.cancel(streamId).catch(() => undefined);
      },
    };
  }
}

export function toApiError(res: ApiResponse): ApiError {
  if (isStatus(res.body)) return new ApiError(res.status, res.body);
  const msg = typeof res.body === 'string' && res.body ? res.body : `the server responded with status ${res.status}`;
  return new ApiError(res.status, failureStatus('InternalError', msg));
}

/**
 * The texts of an RFC 7234 Warning header value as client-go keeps them: comma-separated
 * `code agent "text" ["date"]` entries, only code 299, quoted text unescaped; malformed entries are skipped.
 */
export function parseWarningHeader(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = value.length;
  const skipSpace = () => {
    while (i < n && (value[i] === ' ' || value[i] === '\t')) i++;
  };
  const token = () => {
    const start = i;
    while (i < n && value[i] !== ' ' && value[i] !== '\t' && value[i] !== ',') i++;
    return value.slice(start, i);
  };
  const quoted = (): string | undefined => {
    if (value[i] !== '"') return undefined;
    let text = '';
    for (i++; i < n; i++) {
      const c = value[i];
      if (c === '\\' && i + 1 < n) text += value[++i];
      else if (c === '"') return i++, text;
      else text += c;
    }
    return undefined;
  };
  while (i < n) {
    skipSpace();
    const code = token();
    skipSpace();
    const agent = token();
    skipSpace();
    const text = quoted();
    skipSpace();
    if (value[i] === '"') quoted();
    skipSpace();
    while (i < n && value[i] !== ',') i++; // drop anything malformed up to the next entry
    i++;
    if (code === '299' && agent && text !== undefined && text !== '') out.push(text);
  }
  return out;
}

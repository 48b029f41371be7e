import type { ApiHandler, ApiRequest, HttpMethod } from '../../api/protocol';
import type { ProxyChunkMessage, ProxyRequestMessage, ProxyResponseMessage } from './proxy-protocol';

const enc = new TextEncoder();
const ab = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

/** `/_/api/<path>?<query>` (the target after `api`) as an ApiRequest, like kubectl proxy forwards it. */
export function apiRequestFor(msg: ProxyRequestMessage): ApiRequest {
  const url = new URL(msg.target.replace(/^api/, ''), 'http://x');
  const query: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (query[k] = v));
  const header = (n: string) => msg.headers.find(([k]) => k.toLowerCase() === n)?.[1];
  const contentType = header('content-type')?.split(';')[0].trim();
  let body: unknown;
  if (msg.body && msg.body.byteLength) {
    const text = new TextDecoder().decode(msg.body);
    body = contentType === 'application/apply-patch+yaml' ? text : JSON.parse(text);
  }
  return { method: msg.method.toUpperCase() as HttpMethod, path: decodeURIComponent(url.pathname) || '/', query, ...(body !== undefined ? { body } : {}), ...(contentType ? { contentType } : {}), ...(header('accept') ? { accept: header('accept') } : {}) };
}

function encodeBody(body: unknown): { bytes: Uint8Array; type: string } {
  if (body instanceof Uint8Array) return { bytes: body, type: 'application/octet-stream' };
  if (typeof body === 'string') return { bytes: enc.encode(body), type: 'text/plain; charset=utf-8' };
  return { bytes: enc.encode(body === undefined ? '' : JSON.stringify(body)), type: 'application/json' };
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** A watch (`watch=1|true`) or a followed log: answered as a stream of newline-delimited chunks. */
const isStream = (req: ApiRequest) => ['1', 'true'].includes(req.query?.watch ?? '') || (/\/log$/.test(req.path) && req.query?.follow === 'true');

/**
 * Answers one /_/api/ request from `api` as the tab's identity (kubernetes-admin), the way `kubectl proxy`
 * does: the API's status and body (JSON, text or bytes). A watch streams: the first message carries
 * `stream: true`, then each WatchEvent is one JSON line posted on `port`, until the API ends the stream or
 * the SW posts `{ cancel: true }` (the API stream is then cancelled). Never rejects for API errors.
 */
export async function answerApiRequest(api: ApiHandler, msg: ProxyRequestMessage, port: MessagePort): Promise<ProxyResponseMessage | undefined> {
  let req: ApiRequest;
  try {
    req = apiRequestFor(msg);
  } catch (err) {
    const { bytes, type } = encodeBody({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String((err as Error)?.message ?? err), reason: 'BadRequest', code: 400 });
    return { status: 400, statusText: 'Bad Request', headers: [['Content-Type', type]], body: ab(bytes) };
  }
  if (!isStream(req)) {
    const res = await api.request(req);
    const { bytes, type } = encodeBody(res.body);
    const headers = Object.entries(res.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'content-length') as Array<[string, string]>;
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', type]);
    return { status: res.status, statusText: STATUS_TEXT[res.status] ?? '', headers, body: ab(bytes) };
  }
  const open = await api.stream(req);
  if (open.status !== 200 || !open.streamId) {
    const { bytes, type } = encodeBody(open.body);
    return { status: open.status, statusText: STATUS_TEXT[open.status] ?? '', headers: [['Content-Type', type]], body: ab(bytes) };
  }
  const id = open.streamId;
  let cancelled = false;
  port.onmessage = (e: MessageEvent<{ cancel?: boolean }>) => {
    if (e.data?.cancel) (cancelled = true), void api.cancel(id);
  };
  const first: ProxyResponseMessage = { status: 200, statusText: 'OK', headers: [['Content-Type', req.query?.watch ? 'application/json' : 'text/plain; charset=utf-8'], ['Cache-Control', 'no-cache']], body: new ArrayBuffer(0), stream: true };
  port.postMessage(first);
  void (async () => {
    try {
      for (let batch = await api.read(id); batch && !cancelled; batch = await api.read(id)) {
        const text = batch.map((c) => (typeof c === 'string' ? c : `${JSON.stringify(c)}\n`)).join('');
        const chunk = ab(enc.encode(text));
        port.postMessage({ chunk } satisfies ProxyChunkMessage, [chunk]);
      }
    } finally {
      port.postMessage({ end: true } satisfies ProxyChunkMessage);
    }
  })();
  return undefined;
}

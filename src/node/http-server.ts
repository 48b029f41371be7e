// Node-only: serves an ApiHandler as the Kubernetes HTTP API (plain http on 127.0.0.1), as kube-apiserver does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import type { ApiHandler, ApiRequest, ApiResponse, HttpMethod, UserInfo } from '../api/protocol';
import type { Disposable } from '../api/disposable';
import { goJsonSyntaxError } from '../api/go-json-error';
import { isPatchContentType } from '../workers/apiserver/handlers/patch-body';
import { decodeProtobufObject } from './protobuf-body';
import { createWsUpgradeHandler } from './ws-remotecommand';

/** etcd's request limit, which kube-apiserver enforces on bodies (3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** The identity of HTTP requests without a bearer token (kubeadm's admin; bound to cluster-admin by the kubeadm:cluster-admins ClusterRoleBinding). */
export const ADMIN_USER: UserInfo = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };

export interface HttpServerOptions {
  api: ApiHandler;
  /** 0 (default) picks a free port. */
  port?: number;
  user?: UserInfo;
}

export type HttpApiServer = Disposable & {
  server: Server;
  port: number;
  /** http://127.0.0.1:PORT */
  url: string;
  /** Stops accepting, cancels open streams (watches, follows) and resolves once the server is closed. */
  close(): Promise<void>;
};

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);
/** pods|services/<name>/proxy[/…]: the body is passed through as bytes, not decoded. */
const PROXY_PATH = /^\/api\/v1\/namespaces\/[^/]+\/(pods|services)\/[^/]+\/proxy(\/|$)/;

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

function statusBody(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  // a Uint8Array is a raw upstream body (pods/services proxy): sent as is, its Content-Type in headers
  const text = body instanceof Uint8Array ? body : typeof body === 'string' ? body : JSON.stringify(body ?? {});
  const type = body instanceof Uint8Array ? 'application/octet-stream' : typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache, private', ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads the body; rejects HttpError 413 past the limit (kube's limitedReadBody message). */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`);
  if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BODY_BYTES) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY_BYTES) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * JSON (and YAML) bodies become values; apply-patch+yaml stays text (protocol.ts). Protobuf bodies of the kinds
 * protobuf-body knows become their JSON; other protobuf and CBOR are 415.
 * Malformed JSON is 400 with Go's encoding/json message, for POST/PUT wrapped as kube's JSON serializer
 * words it ("couldn't get version/kind; json parse error: …"). A json/merge/strategic PATCH body that is malformed
 * or a JSON string stays text, for the patch handler to refuse as kube does.
 */
function decodeBody(raw: Buffer, contentType: string, method: string): unknown {
  if (raw.length === 0) return undefined;
  const mime = contentType.split(';')[0].trim().toLowerCase();
  const text = raw.toString('utf8');
  if (mime === 'application/apply-patch+yaml') return text;
  if (mime === 'application/vnd.kubernetes.protobuf') {
    let obj: unknown;
    try {
      obj = decodeProtobufObject(raw);
    } catch (err) {
      throw new HttpError(400, 'BadRequest', `unable to decode protobuf body: ${(err as Error).message}`);
    }
    if (obj !== undefined) return obj;
  }
  if (mime === 'application/yaml') {
    try {
      return parseYaml(text);
    } catch (err) {
      throw new HttpError(400, 'BadRequest', `error converting YAML to JSON: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (method === 'PATCH' && isPatchContentType(mime)) {
    // the patch handler words a malformed or non-object patch per patch type (handlers/patch-body.ts): it gets the text
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'string' ? text : value;
    } catch {
      return text;
    }
  }
  if (mime === '' || mime === 'application/json' || mime.endsWith('+json') || mime === 'text/plain') {
    try {
      return JSON.parse(text);
    } catch (err) {
      const msg = goJsonSyntaxError(text) ?? (err as Error).message;
      throw new HttpError(400, 'BadRequest', method === 'PATCH' ? msg : `couldn't get version/kind; json parse error: ${msg}`);
    }
  }
  throw new HttpError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
}

function isStreamRequest(method: string, path: string, query: Record<string, string>): boolean {
  if (method !== 'GET') return false;
  if (query.watch === 'true' || query.watch === '1') return true;
  return /\/pods\/[^/]+\/log$/.test(path) && (query.follow === 'true' || query.follow === '1');
}

/**
 * Answers one stream as kube-apiserver does: watch events as JSON lines (`{"type":…,"object":…}\n`, each
 * flushed), log text as it comes, chunked; an error opening the stream is an ordinary Status response.
 * The stream is cancelled when the client goes away or the server closes.
 */
async function pipeStream(api: ApiHandler, apiReq: ApiRequest, res: ServerResponse, open: Set<() => void>): Promise<void> {
  const opened = await api.stream(apiReq);
  if (opened.status !== 200 || !opened.streamId) return sendJson(res, opened.status, opened.body, opened.headers);
  const id = opened.streamId;
  const isWatch = apiReq.query?.watch !== undefined;
  let done = false;
  const stop = () => {
    if (done) return;
    done = true;
    open.delete(stop);
    void api.cancel(id).catch(() => undefined);
    if (!res.writableEnded) res.end();
  };
  open.add(stop);
  res.on('close', stop);
  res.writeHead(200, {
    'Content-Type': isWatch ? 'application/json' : 'text/plain',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
    ...(opened.headers ?? {}),
  });
  res.flushHeaders();
  try {
    while (!done) {
      const batch = await api.read(id);
      if (batch === null || done) break;
      const text = batch.map((c) => (typeof c === 'string' ? c : `${JSON.stringify(c)}\n`)).join('');
      if (text) res.write(text);
    }
  } finally {
    stop();
  }
}

/**
 * Kube's impersonation headers (Impersonate-User, Impersonate-Group (repeatable), Impersonate-Uid) as
 * ApiRequest.impersonate; the apiserver authorizes the impersonate verb and adds the implied groups.
 */
function impersonation(req: IncomingMessage): ApiRequest['impersonate'] {
  const h = req.headersDistinct;
  const user = h['impersonate-user']?.[0];
  if (!user) return undefined;
  const groups = h['impersonate-group'] ?? [];
  const uid = h['impersonate-uid']?.[0];
  return { user, ...(groups.length ? { groups: [...groups] } : {}), ...(uid ? { uid } : {}) };
}

/** `Authorization: Bearer <token>` (scheme case-insensitive), else undefined. */
function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
  return m?.[1];
}

/**
 * Starts the HTTP API on 127.0.0.1 (never another interface). A request with a bearer token carries it for
 * the apiserver to authenticate; any other acts as opts.user (ADMIN_USER). Impersonation headers are passed on.
 */
export function startHttpServer(opts: HttpServerOptions): Promise<HttpApiServer> {
  const { api } = opts;
  const user = opts.user ?? ADMIN_USER;
  const openStreams = new Set<() => void>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const method = (req.method ?? 'GET').toUpperCase();
    if (!METHODS.has(method)) {
      req.resume();
      return sendJson(res, 405, statusBody(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const raw = await readBody(req);
    const body = PROXY_PATH.test(url.pathname) ? (raw.length ? new Uint8Array(raw) : undefined) : decodeBody(raw, contentType, method);
    const token = bearerToken(req);
    const imp = impersonation(req);
    const apiReq: ApiRequest = {
      method: method as HttpMethod,
      path: url.pathname,
      ...(Object.keys(query).length ? { query } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(contentType ? { contentType: contentType.split(';')[0].trim() } : {}),
      ...(req.headers.accept ? { accept: req.headers.accept } : {}),
      ...(token !== undefined ? { bearerToken: token } : { user }),
      ...(imp ? { impersonate: imp } : {}),
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
    };
    if (isStreamRequest(method, url.pathname, query)) return pipeStream(api, apiReq, res, openStreams);
    const out: ApiResponse = await api.request(apiReq);
    sendJson(res, out.status, out.body, out.headers);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) return sendJson(res, err.code, statusBody(err.code, err.reason, err.message));
      console.error('http-server: internal error', err);
      sendJson(res, 500, statusBody(500, 'InternalError', `Internal error occurred: ${String((err as Error)?.message ?? err)}`));
    });
  });

  // pods/exec and pods/attach over WebSocket (ws-remotecommand.ts), with the same identity rules
  server.on('upgrade', createWsUpgradeHandler({ api, open: openStreams, identity: (req) => {
    const token = bearerToken(req);
    const imp = impersonation(req);
    return { ...(token !== undefined ? { bearerToken: token } : { user }), ...(imp ? { impersonate: imp } : {}), ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}) };
  } }));

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      const close = () =>
        new Promise<void>((done) => {
          for (const stop of [...openStreams]) stop();
          server.close(() => done());
          server.closeAllConnections();
        });
      resolve({ server, port, url: `http://127.0.0.1:${port}`, close, dispose: () => void close() });
    });
  });
}

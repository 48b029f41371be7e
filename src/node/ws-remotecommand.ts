// Node-only: WebSocket upgrades on the HTTP API for pods/exec and pods/attach (the remotecommand protocols
// v5.channel.k8s.io and v4.channel.k8s.io that kubectl 1.32 speaks), bridged onto ApiHandler.stream/read/write/cancel.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiHandler, ApiRequest, ExecInput, ExecStreamChunk } from '../api/protocol';
import { upgradeRefusedStatus } from '../api/status';
import { PORTFORWARD_TUNNEL_PROTOCOL, servePortForward } from './ws-portforward';
import { acceptChannelPortForward, PORTFORWARD_CHANNEL_PROTOCOL } from './ws-portforward-channel';
import { createInputDecoder, encodeChunk, pickRemoteCommandProtocol, type RemoteCommandProtocol } from './ws-channel-frames';

/** pods/<name>/exec|attach|portforward: the upgrade paths served here. */
const REMOTECOMMAND_PATH = /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/(exec|attach)$/;
const PORTFORWARD_PATH = /^\/api\/v1\/namespaces\/[^/]+\/pods\/[^/]+\/portforward$/;

export interface WsUpgradeOptions {
  api: ApiHandler;
  /** The caller's identity fields for the ApiRequest (bearer token or user, impersonation, user agent). */
  identity(req: IncomingMessage): Partial<ApiRequest>;
  /** Open connections register a stop function here (the HTTP server's close() calls them) and remove it when done. */
  open: Set<() => void>;
}

/** Query parameters with repeated `command=` words joined by NUL, as the exec handler expects. */
export function remoteCommandQuery(search: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [k, v] of search) if (k !== 'command') query[k] = v;
  const command = search.getAll('command');
  if (command.length) query.command = command.join('\0');
  return query;
}

function rejectUpgrade(socket: Duplex, status: number, body: unknown): void {
  // A kubelet's refusal is its own text/plain answer, echoed as kube-apiserver's upgrade-aware proxy does.
  const plain = typeof body === 'string';
  const text = plain ? body : JSON.stringify(body ?? {});
  const reason = status === 404 ? 'Not Found' : status === 403 ? 'Forbidden' : status === 401 ? 'Unauthorized' : status === 400 ? 'Bad Request' : 'Error';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${plain ? 'text/plain; charset=utf-8' : 'application/json'}\r\nCache-Control: no-cache, private\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

/**
 * The HTTP server's 'upgrade' listener. The stream is opened before the handshake, so an API error
 * (404 pod, 400 container or no node, 403) is the ordinary HTTP Status response (kubectl falls back to SPDY
 * and prints "Error from server (Reason): …"). A kubelet's refusal (a text body) is answered as
 * kube-apiserver 1.32 does: a v5.channel.k8s.io client gets the WebSocket, then upgradeRefusedStatus on
 * channel 3 and a normal close (StreamTranslator); any other client gets the kubelet's answer echoed
 * (the upgrade-aware proxy), which client-go reports as "unable to upgrade connection: …".
 * After the handshake: server→client chunks as channel frames ending with
 * the channel-3 Status and a normal close (1000); client frames become ApiHandler.write input, in order.
 * A client that goes away cancels the stream (the process is killed).
 */
export function createWsUpgradeHandler(opts: WsUpgradeOptions): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => pickRemoteCommandProtocol(offered) ?? false });
  const wsPortForward = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => (offered.has('portforward.k8s.io') ? PORTFORWARD_TUNNEL_PROTOCOL : false) });
  const wsChannelPortForward = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => (offered.has(PORTFORWARD_CHANNEL_PROTOCOL) ? PORTFORWARD_CHANNEL_PROTOCOL : false) });
  return (req, socket, head) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const upgrade = String(req.headers.upgrade ?? '');
      if (PORTFORWARD_PATH.test(url.pathname)) return await portForwardUpgrade(opts, wsPortForward, wsChannelPortForward, req, socket, head, url);
      if (!REMOTECOMMAND_PATH.test(url.pathname)) {
        return rejectUpgrade(socket, 400, status(400, 'BadRequest', `upgrade to ${upgrade} is not supported for ${url.pathname}`));
      }
      const protocol = pickRemoteCommandProtocol(String(req.headers['sec-websocket-protocol'] ?? '').split(','));
      // kubectl falls back to SPDY/3.1 (POST) after a failed WebSocket upgrade: it gets the same API error.
      // (A client speaking only SPDY gets 400 after the stream opened: its command starts and is cancelled.)
      const method = req.method === 'POST' ? 'POST' : 'GET';
      const apiReq: ApiRequest = { method, path: url.pathname, query: remoteCommandQuery(url.searchParams), ...opts.identity(req) };
      const opened = await opts.api.stream(apiReq);
      if (opened.status !== 200 || !opened.streamId) {
        if (typeof opened.body === 'string' && protocol === 'v5.channel.k8s.io' && upgrade.toLowerCase() === 'websocket') {
          const refused = upgradeRefusedStatus(opened.body);
          return wss.handleUpgrade(req, socket, head, (ws) => {
            ws.send(encodeChunk({ channel: 3, status: refused as Record<string, unknown> }));
            ws.close(1000);
          });
        }
        return rejectUpgrade(socket, opened.status, opened.body);
      }
      const id = opened.streamId;
      if (upgrade.toLowerCase() !== 'websocket' || !protocol) {
        await opts.api.cancel(id);
        const why = upgrade.toLowerCase() !== 'websocket' ? `upgrade to ${upgrade} is not supported` : 'no supported subprotocol (v5.channel.k8s.io, v4.channel.k8s.io) was requested';
        return rejectUpgrade(socket, 400, status(400, 'BadRequest', `unable to upgrade connection: ${why}`));
      }
      wss.handleUpgrade(req, socket, head, (ws) => bridge(opts, ws, id, protocol));
    })().catch((err: unknown) => {
      if (!socket.destroyed) rejectUpgrade(socket, 500, status(500, 'InternalError', `Internal error occurred: ${String((err as Error)?.message ?? err)}`));
    });
  };
}

/**
 * pods/<name>/portforward: the pod is checked first (a GET of it: 404 and 403 as the HTTP Status), then the
 * WebSocket carries tunneled SPDY (ws-portforward.ts), or with subprotocol v4.channel.k8s.io the kubelet's
 * channel framing (ws-portforward-channel.ts; `ports` required). The SPDY/3.1 upgrade kubectl falls back to is refused.
 */
async function portForwardUpgrade(opts: WsUpgradeOptions, wss: WebSocketServer, wssChannel: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
  const identity = opts.identity(req);
  const podPath = url.pathname.replace(/\/portforward$/, '');
  const pod = await opts.api.request({ method: 'GET', path: podPath, ...identity });
  if (pod.status !== 200) return rejectUpgrade(socket, pod.status, pod.body);
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (String(req.headers.upgrade ?? '').toLowerCase() === 'websocket' && !offered.includes(PORTFORWARD_TUNNEL_PROTOCOL) && offered.includes(PORTFORWARD_CHANNEL_PROTOCOL)) {
    const ports = url.searchParams.getAll('ports').concat(url.searchParams.getAll('port')).flatMap((p) => p.split(',')).filter(Boolean);
    if (!ports.length) return rejectUpgrade(socket, 400, status(400, 'BadRequest', 'at least 1 port must be specified'));
    const bad = ports.find((p) => !/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 65535);
    if (bad) return rejectUpgrade(socket, 400, status(400, 'BadRequest', `unable to parse "${bad}" as a port: must be between 1 and 65535, inclusive`));
    return acceptChannelPortForward(wssChannel, opts.api, req, socket, head, { method: 'GET', path: url.pathname, ...identity }, ports.map(Number), (stop, ws) => {
      const s = () => (opts.open.delete(s), stop());
      opts.open.add(s);
      ws.on('close', () => opts.open.delete(s));
    });
  }
  if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket' || !offered.includes(PORTFORWARD_TUNNEL_PROTOCOL)) {
    return rejectUpgrade(socket, 400, status(400, 'BadRequest', `unable to upgrade connection: only WebSocket with subprotocol ${PORTFORWARD_TUNNEL_PROTOCOL} is supported`));
  }
  // ws rejects '/' in a subprotocol token (RFC 6455 tokens): it sees a placeholder and answers with the real name
  req.headers['sec-websocket-protocol'] = 'portforward.k8s.io';
  wss.handleUpgrade(req, socket, head, (ws) => {
    const session = servePortForward(opts.api, ws, { method: 'GET', path: url.pathname, ...identity });
    const stop = () => {
      opts.open.delete(stop);
      session.close();
    };
    opts.open.add(stop);
    ws.on('close', stop);
  });
}

function bridge(opts: WsUpgradeOptions, ws: WebSocket, id: string, protocol: RemoteCommandProtocol): void {
  const { api } = opts;
  let done = false;
  const stop = (code = 1000) => {
    if (done) return;
    done = true;
    opts.open.delete(stop);
    void api.cancel(id).catch(() => undefined);
    if (ws.readyState === ws.OPEN) ws.close(code);
  };
  opts.open.add(stop);
  const decode = createInputDecoder(protocol);
  let writing = Promise.resolve();
  ws.on('message', (data, isBinary) => {
    if (!isBinary || done) return;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    for (const input of decode(bytes)) {
      writing = writing.then(() => api.write?.(id, input as ExecInput)).catch(() => undefined);
    }
  });
  ws.on('close', () => stop());
  ws.on('error', () => stop());
  void (async () => {
    try {
      for (let batch = await api.read(id); batch && !done; batch = await api.read(id)) {
        for (const chunk of batch as ExecStreamChunk[]) ws.send(encodeChunk(chunk));
      }
    } catch {
      // the stream failed: the client sees the connection close without a Status
    } finally {
      // frames queued by send() go out before the close frame
      stop();
    }
  })();
}

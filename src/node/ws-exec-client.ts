// Node-only: the client side of pods/exec and pods/attach over WebSocket (v5.channel.k8s.io), so our kubectl
// over HTTP (npm run kubectl) can exec and attach against any Kubernetes API server, ours included.
import type { ApiHandler, ExecStreamChunk } from '../api/protocol';
import { CHANNEL } from './ws-channel-frames';
import { withWebSocketStreams } from './ws-stream-client';

const STREAM_PATH = /\/pods\/[^/]+\/(exec|attach)$/;

/**
 * Wraps an HTTP transport: stream() of pods/<name>/exec|attach opens a WebSocket to `server` (repeated
 * `command` words from the NUL-joined query), resolving 200 once upgraded or the server's Status when it
 * refuses the upgrade; read() yields ExecStreamChunks (stdout/stderr decoded as UTF-8 per channel, the
 * channel-3 Status parsed); write() sends stdin, resize and v5's CLOSE; cancel() closes the socket.
 * Everything else goes to `inner`.
 */
export function withWebSocketExec(inner: ApiHandler, opts: { server: string; token?: string }): ApiHandler {
  return withWebSocketStreams<ExecStreamChunk>(inner, opts, {
    path: STREAM_PATH,
    subprotocol: 'v5.channel.k8s.io',
    idPrefix: 'ws',
    query(url, query) {
      for (const [k, v] of Object.entries(query)) {
        if (k === 'command') for (const w of v.split('\0')) url.searchParams.append(k, w);
        else url.searchParams.set(k, v);
      }
    },
    decoder() {
      const decoders = { 1: new TextDecoder(), 2: new TextDecoder() };
      return (raw, isBinary) => {
        const data = raw as Buffer;
        if (!isBinary || data.length === 0) return [];
        const ch = data[0];
        if (ch === CHANNEL.stdout || ch === CHANNEL.stderr) {
          const text = decoders[ch].decode(data.subarray(1), { stream: true });
          return data.length > 1 ? [{ channel: ch, data: text, bytes: new Uint8Array(data.subarray(1)) }] : [];
        }
        if (ch !== CHANNEL.error) return [];
        try {
          return [{ channel: 3, status: JSON.parse(data.subarray(1).toString('utf8')) as Record<string, unknown> }];
        } catch {
          return [{ channel: 3, status: { status: 'Failure', message: data.subarray(1).toString('utf8') } }];
        }
      };
    },
    send(ws, input) {
      if (input.channel === 0) ws.send(Buffer.concat([Buffer.of(CHANNEL.stdin), input.bytes ? Buffer.from(input.bytes) : Buffer.from(input.data, 'utf8')]));
      else if (input.channel === 4) ws.send(Buffer.concat([Buffer.of(CHANNEL.resize), Buffer.from(JSON.stringify({ Width: input.width, Height: input.height }))]));
      else if (input.channel === 255) ws.send(Buffer.of(CHANNEL.close, CHANNEL.stdin));
    },
  });
}

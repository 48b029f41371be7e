// Node-only: the remotecommand WebSocket framing kube-apiserver speaks for pods/exec and pods/attach
// (k8s.io/apimachinery/pkg/util/remotecommand, client-go/tools/remotecommand/websocket.go).
import type { ExecInput, ExecStreamChunk } from '../api/protocol';

/** Subprotocols we serve, most preferred first. kubectl 1.32 offers only v5; v4 lacks the CLOSE signal. */
export const REMOTECOMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;
export type RemoteCommandProtocol = (typeof REMOTECOMMAND_PROTOCOLS)[number];

/** Channel numbers: every binary message starts with one of them. */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** The subprotocol to accept from the client's offer (Sec-WebSocket-Protocol), or undefined when none fits. */
export function pickRemoteCommandProtocol(offered: Iterable<string>): RemoteCommandProtocol | undefined {
  const set = new Set([...offered].map((p) => p.trim()));
  return REMOTECOMMAND_PROTOCOLS.find((p) => set.has(p));
}

/**
 * One server→client binary message for a stream chunk: channel byte + the chunk's raw bytes (else its UTF-8
 * text) for stdout/stderr, channel
 * 3 + the metav1.Status JSON (v4 and v5 both carry a Status there; kind/apiVersion added as the kubelet's are).
 */
export function encodeChunk(chunk: ExecStreamChunk): Buffer {
  if (chunk.channel === CHANNEL.error) {
    const status = { kind: 'Status', apiVersion: 'v1', ...chunk.status };
    return Buffer.concat([Buffer.of(CHANNEL.error), Buffer.from(JSON.stringify(status), 'utf8')]);
  }
  return Buffer.concat([Buffer.of(chunk.channel), chunk.bytes ? Buffer.from(chunk.bytes) : Buffer.from(chunk.data, 'utf8')]);
}

/**
 * Decodes client→server binary messages into ExecInput. Stdin carries the raw bytes (binary-safe) and their
 * text, UTF-8 decoded across messages (a character split between two frames is kept until complete). Resize is JSON {"Width":w,"Height":h}; v5's
 * CLOSE [255, 0] ends stdin (CLOSE of another channel, and v4's unknown 255, are ignored). Unknown channels
 * and malformed resizes yield nothing, as the kubelet discards them.
 */
export function createInputDecoder(protocol: RemoteCommandProtocol): (message: Uint8Array) => ExecInput[] {
  const stdin = new TextDecoder();
  return (message) => {
    if (message.length === 0) return [];
    const body = message.subarray(1);
    switch (message[0]) {
      case CHANNEL.stdin: {
        const data = stdin.decode(body, { stream: true });
        return body.length ? [{ channel: 0, data, bytes: body.slice() }] : [];
      }
      case CHANNEL.resize: {
        try {
          const size = JSON.parse(Buffer.from(body).toString('utf8')) as { Width?: unknown; Height?: unknown };
          const width = Number(size.Width);
          const height = Number(size.Height);
          return Number.isFinite(width) && Number.isFinite(height) ? [{ channel: 4, width, height }] : [];
        } catch {
          return [];
        }
      }
      case CHANNEL.close: {
        if (protocol !== 'v5.channel.k8s.io' || body[0] !== CHANNEL.stdin) return [];
        const rest = stdin.decode();
        return [...(rest ? [{ channel: 0 as const, data: rest, bytes: new Uint8Array(0) }] : []), { channel: 255 }];
      }
      default:
        return [];
    }
  };
}

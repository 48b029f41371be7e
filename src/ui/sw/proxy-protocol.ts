/**
 * The messages between the proxy Service Worker (service-worker.ts) and the tab that runs the cluster
 * (proxy-host.ts). The SW posts a ProxyRequestMessage to every window client with a MessagePort; the tab that
 * runs the cluster answers one ProxyResponseMessage on that port, other tabs stay silent. A streamed answer
 * (`stream: true`, e.g. a watch under /_/api/) is followed on the same port by ProxyChunkMessages, the last
 * one with `end: true`; the SW posts `{ cancel: true }` on the port when the page stops reading.
 */
export const PROXY_MESSAGE = 'tabernetes-proxy';

export interface ProxyRequestMessage {
  type: typeof PROXY_MESSAGE;
  method: string;
  /** What follows /_/ in the URL, with the query: `svc/default/web:5678/a?b=1`, `api/api/v1/pods?watch=1`. */
  target: string;
  headers: Array<[string, string]>;
  body?: ArrayBuffer;
}

export interface ProxyResponseMessage {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: ArrayBuffer;
  /** More body follows as ProxyChunkMessages. */
  stream?: boolean;
}

export interface ProxyChunkMessage {
  chunk?: ArrayBuffer;
  end?: boolean;
}

/** The URL path prefix the Service Worker serves. */
export const PROXY_PREFIX = '/_/';

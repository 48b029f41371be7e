/**
 * The messages between the proxy Service Worker (service-worker.ts) and the tab that runs the cluster
 * (proxy-host.ts). The SW posts a ProxyRequestMessage to every window client with a MessagePort; the tab that
 * runs the cluster answers one ProxyResponseMessage on that port, other tabs stay silent.
 */
export const PROXY_MESSAGE = 'tabernetes-proxy';

export interface ProxyRequestMessage {
  type: typeof PROXY_MESSAGE;
  method: string;
  /** What follows /proxy/ in the URL, with the query: `service/default/web:5678/a?b=1`. */
  target: string;
  headers: Array<[string, string]>;
  body?: ArrayBuffer;
}

export interface ProxyResponseMessage {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: ArrayBuffer;
}

/** The URL path prefix the Service Worker serves. */
export const PROXY_PREFIX = '/proxy/';

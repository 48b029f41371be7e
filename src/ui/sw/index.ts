/**
 * src/ui/sw: opening the cluster's web pages from the browser.
 * - service-worker.ts: the Service Worker at /proxy-sw.js (compiled alone): /_/svc|pod|nodeport|ingress|
 *   portforward|api scopes, subresource scoping, Location rewriting, sandbox and isolation headers, and
 *   coi-serviceworker's role for the app's own pages.
 * - proxy-host.ts: the tab's side: resolves a /_/ target and sends HTTP/1.1 over the pod network (or through a
 *   port-forward); proxyUrl() builds the URLs.
 * - preview-origin.ts: the preview origin (same host, another port) where pod pages run their scripts away
 *   from the app, and the rule for requests relayed from it (never /_/api/).
 * - api-bridge.ts: /_/api/… as `kubectl proxy` (watches stream).
 * - port-forward-host.ts: kubectl port-forward's listener in the tab (a forward id per local port);
 *   conn-pipe.ts: the in-memory connection between the two.
 */
export { proxyUrl, serveProxyRequests, answerProxyRequest, INGRESS_CONTROLLER, PROXY_SW_URL, type ProxyDeps } from './proxy-host';
export { TabPortForwards, PREVIEW_EVENT, portForwardUrl } from './port-forward-host';
export { connPipe } from './conn-pipe';
export { discoverPreviewOrigin, previewOriginFor, relayTargetAllowed, PREVIEW_FRAME_PATH, PREVIEW_ORIGIN_PATH } from './preview-origin';

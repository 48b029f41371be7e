/**
 * src/network/http: HTTP/1.1 over the in-tab network (core), shared by the apiserver's pods/services proxy
 * subresources and the page's Service Worker proxy (src/ui/sw).
 * - http1-client: one request per connection over dialTcp (Connection: close), hop-by-hop headers dropped,
 *   responses framed by Content-Length, chunked or EOF.
 * - proxy-target: kube-apiserver's ResourceLocation for pods/<name>[:port] and services/<name>[:port]
 *   (pod IP; a ready address of the Service's Endpoints), with kube's error statuses and messages.
 */
export { HOP_BY_HOP, httpRequest, httpRequestOverConn, type Http1Request, type Http1Response } from './http1-client';
export { ProxyTargetError, resolvePodTarget, resolveServiceTarget, type ProxyLookup, type ProxyTarget } from './proxy-target';

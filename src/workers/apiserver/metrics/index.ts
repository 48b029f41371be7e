/**
 * src/workers/apiserver/metrics: metrics.k8s.io/v1beta1 (NodeMetrics, PodMetrics), served in the apiserver
 * the way metrics-server serves it through aggregation, from the kubelets' stats summaries (dialNode).
 * - metrics-strategies: the two read-only resources (registry entries: discovery, routing, tables).
 * - metrics-handler: get/list, scraping the kubelets per request.
 * - metrics-quantity: the canonical cpu (n/u/m) and memory (Ki/Mi) quantity texts.
 */
export { metricsHandler, SCRAPE_TIMEOUT_MS } from './metrics-handler';
export { METRICS_GROUP, NodeMetricsRef, PodMetricsRef, metricsStrategies, nodeMetricsStrategy, podMetricsStrategy } from './metrics-strategies';
export { formatBytes, formatNanoCores } from './metrics-quantity';

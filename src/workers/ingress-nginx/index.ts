/**
 * src/workers/ingress-nginx: the cluster's Ingress controller, built the way ingress-nginx is (core, no Worker of
 * its own; started beside kube-proxy by src/cluster/local-cluster.ts and the tab's boot). The Kubernetes side runs
 * here; the data plane is a real pod: Deployment ingress-nginx/ingress-nginx-controller running
 * registry.k8s.io/ingress-nginx/controller:v1.11.3 (images/ingress-nginx: our C nginx as /nginx-ingress-controller),
 * which serves the nginx.conf this controller writes into ConfigMap ingress-nginx-controller-conf (mounted at
 * /etc/nginx) and reloads it on change. Reached through Service ingress-nginx-controller (LoadBalancer, 80/443).
 * Browser contract: `/_/ingress/<host>/<path>` is sent to that Service's port 80 with `Host: <host>`.
 * - ingress-nginx.ts: startIngressNginx (informers → one level-based reconcile: install as the given admin client,
 *   sync as ServiceAccount ingress-nginx/ingress-nginx through serviceAccountTransport), servesIngress.
 * - ingress-rbac.ts: that ServiceAccount and the deploy manifest's ClusterRole/Role/bindings (+ one Role of ours).
 * - nginx-conf.ts: buildNginxConf, a pure function of (Ingresses, Services) → nginx.conf text.
 * - ingress-manifests.ts: the namespace, IngressClass, Service, ConfigMap and Deployment it keeps in place.
 */
export { confStamp, startIngressNginx, servesIngress, CONTROLLER_USER_AGENT, type IngressNginx, type IngressNginxOptions } from './ingress-nginx';
export * from './ingress-rbac';
export { buildNginxConf, locationArgs, upstreamOf, CATCH_ALL } from './nginx-conf';
export * from './ingress-manifests';

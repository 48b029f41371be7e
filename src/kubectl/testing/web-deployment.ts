// The Deployment several comparisons with the real kubectl 1.32 start from (errors, audit, set tests), one per
// namespace where a test gives each kubectl its own copy (test/serve-helpers.ts twinNamespaces).

/**
 * A Deployment `web` in namespace ns, labelled and selecting app=web, as YAML ending in a newline; podSpec is
 * the pod template's spec as a YAML flow mapping, e.g. `{containers: [{name: c, image: busybox}]}`.
 */
export function webDeployment(ns: string, replicas: number, podSpec: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}, labels: {app: web}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: ${podSpec}
`;
}

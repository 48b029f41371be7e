// Error texts and client dry runs against the real kubectl 1.32 on the same `npm run serve`: real kubectl works
// in namespace real, ours in namespace ours (same objects); stdout, stderr and exit code must match once the
// namespace, uids, timestamps, resourceVersions and a live object's status are blanked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_KUBECTL, ServeFixture, twinNamespaces } from './serve-helpers';

const objects = (ns: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}, labels: {app: web}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: busybox, command: [sleep, "3600"]}, {name: d, image: busybox}]}
`;

const serve = new ServeFixture('tabernetes-errors-', { apply: twinNamespaces(objects) });

function normalise(text: string, ns: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UID')
    .replace(/\d{4}-\d\d-\d\dT[\d:]+Z/g, 'TIME')
    .replace(/(resourceVersion"?: ")\d+/g, '$1RV')
    // the live Deployment's status (its conditions follow each namespace's own pods, in their own time)
    .replace(/\nstatus:\n[\s\S]*$/, '\nstatus: STATUS\n')
    .replace(/,\n {4}"status": \{[\s\S]*\n\}\n?$/, ',\n    "status": STATUS\n}\n')
    .replaceAll(ns, 'NS');
}

describe.skipIf(!REAL_KUBECTL)('kubectl errors and client dry runs match kubectl 1.32 against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);
  afterAll(() => serve.stop());

  for (const args of [
    ['logs', 'nosuch'],
    ['logs', 'deploy/nosuch'],
    ['get', 'pods', '-l', '=x'],
    ['get', 'pods,deploy', '--field-selector=bogus=1'],
    ['describe', 'pods', '-l', '=x'],
    ['delete', 'pods', '-l', '=x'],
    ['delete', 'pods', '--field-selector=bogus=1'],
    ['edit', 'deploy', 'nosuch'],
    ['set', 'image', 'deploy/web', 'c=nginx', '--dry-run=client', '-o', 'yaml'],
    ['set', 'image', 'deploy/web', '*=nginx:1', '--dry-run=client', '-o', 'json'],
  ]) {
    it(args.join(' '), async () => {
      const real = await serve.real([...args, '-n', 'real']);
      const ours = await serve.ours([...args, '-n', 'ours']);
      const norm = (r: typeof real, ns: string) => ({ ...r, stdout: normalise(r.stdout, ns), stderr: normalise(r.stderr, ns) });
      expect(norm(ours, 'ours')).toEqual(norm(real, 'real'));
    }, 30_000);
  }
});

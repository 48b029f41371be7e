// Real kubectl 1.32 (v5.channel.k8s.io over WebSocket) against `npm run serve` when the kubelet refuses an
// exec/attach: kube-apiserver's StreamTranslator upgrades first, so the refusal comes back as an InternalError
// Status on channel 3 ("error: Internal error occurred: unable to upgrade connection: …"); refusals the
// apiserver makes itself (no node, unknown container) stay HTTP Status answers before the upgrade. Our kubectl
// over HTTP with exec/attach over the WebSocket (npm run kubectl) prints the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_KUBECTL, ServeFixture, until } from './serve-helpers';

if (!REAL_KUBECTL) console.log('serve-exec-refusals: skipped: no real kubectl binary');

/** `done` exits at once (restartPolicy Never), `main` keeps the pod Running; `nowhere` can be scheduled on no node. */
const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: half
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
  - name: done
    image: busybox:1.36
    command: ["true"]
---
apiVersion: v1
kind: Pod
metadata:
  name: nowhere
spec:
  nodeSelector:
    no-such-label: "x"
  containers:
  - name: main
    image: busybox:1.36
`;

const serve = new ServeFixture('tabernetes-serve-exec-refusals-', { images: true, apply: PODS });

describe.skipIf(!REAL_KUBECTL)('exec/attach refusals: real kubectl 1.32 and ours against npm run serve', () => {
  beforeAll(async () => {
    await serve.start();
    await until(async () => {
      const r = await serve.real(['get', 'pod', 'half', '-o', 'jsonpath={.status.phase} {.status.containerStatuses[?(@.name=="done")].state.terminated.reason}']);
      return r.stdout === 'Running Completed';
    }, 'pod half Running with container done Completed', 90_000);
  }, 180_000);
  afterAll(() => serve.stop());

  const cases: Array<[string, string[], string]> = [
    ['exec into an exited container', ['exec', 'half', '-c', 'done', '--', 'true'], 'error: Internal error occurred: unable to upgrade connection: container not found ("done")\n'],
    ['attach to an exited container', ['attach', 'half', '-c', 'done'], `If you don't see a command prompt, try pressing enter.\nerror: Internal error occurred: unable to upgrade connection: container done not found in pod half_default\n`],
    ['exec with a container the pod does not have', ['exec', 'half', '-c', 'nope', '--', 'true'], 'Error from server (BadRequest): container nope is not valid for pod half\n'],
    ['exec into a pod on no node', ['exec', 'nowhere', '--', 'true'], 'Error from server (BadRequest): pod nowhere does not have a host assigned\n'],
  ];
  for (const [what, args, stderr] of cases) {
    it(`${what}: kubectl ${args.join(' ')}`, async () => {
      const real = await serve.real(args);
      expect(real).toEqual({ stdout: '', stderr, code: 1 });
      expect(await serve.ours(args, undefined, { webSocket: true })).toEqual(real);
    }, 60_000);
  }
});

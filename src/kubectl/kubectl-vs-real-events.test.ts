// `kubectl events` (and `get events` ordering) against the real kubectl 1.32 on the same `npm run serve` cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itMatchesReal, normaliseAge, REAL_KUBECTL, ServeFixture, until } from '../../test/serve-helpers';

const ev = (name: string, o: string) => `apiVersion: v1
kind: Event
metadata: {name: ${name}, namespace: evt}
reportingComponent: ""
source: {component: kubelet}
${o}
---
`;
const EVENTS = `apiVersion: v1
kind: Namespace
metadata: {name: evt}
---
apiVersion: v1
kind: Namespace
metadata: {name: evt-empty}
---
` +
  ev('a1', 'involvedObject: {apiVersion: v1, kind: Pod, name: web-1, namespace: evt}\ntype: Normal\nreason: Scheduled\nmessage: "Successfully assigned evt/web-1 to node-a"\nfirstTimestamp: "2026-01-01T00:00:05Z"\nlastTimestamp: "2026-01-01T00:00:05Z"\ncount: 1') +
  ev('a2', 'involvedObject: {apiVersion: v1, kind: Pod, name: web-1, namespace: evt}\ntype: Warning\nreason: BackOff\nmessage: "Back-off restarting failed container"\nfirstTimestamp: "2026-01-01T00:00:01Z"\nlastTimestamp: "2026-01-01T00:10:00Z"\ncount: 7') +
  ev('a3', 'involvedObject: {apiVersion: apps/v1, kind: Deployment, name: web, namespace: evt}\ntype: Normal\nreason: ScalingReplicaSet\nmessage: "  Scaled up replica set web-1 to 3\\nsecond line  "\nfirstTimestamp: "2026-01-01T00:00:05Z"\nlastTimestamp: "2026-01-01T00:00:05Z"') +
  ev('a4', 'involvedObject: {apiVersion: v1, kind: Pod, name: web-2, namespace: evt}\ntype: Warning\nreason: FailedMount\nmessage: "volume missing"\neventTime: "2026-01-01T00:00:03.000000Z"\nreportingComponent: kubelet\nreportingInstance: node-a\naction: Mount\nseries: {count: 4, lastObservedTime: "2026-01-01T00:20:00.000000Z"}') +
  ev('a5', 'involvedObject: {apiVersion: v1, kind: Pod, name: web-2, namespace: evt}\ntype: Normal\nreason: Pulled\nmessage: "Container image already present"\neventTime: "2026-01-01T00:00:02.000000Z"\nreportingComponent: kubelet\nreportingInstance: node-a\naction: Pull');

const serve = new ServeFixture('tabernetes-events-', { create: EVENTS });

describe.skipIf(!REAL_KUBECTL)('kubectl events matches kubectl 1.32 against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);

  afterAll(() => serve.stop());

  const cases = [
    ['events', '-n', 'evt'],
    ['events', '-A', '--for', 'pod/web-1'],
    ['events', '-n', 'evt', '--for', 'pod/web-2'],
    ['events', '-n', 'evt', '--for=pod/web-1', '--types=warning,Normal'],
    ['events', '--types', 'Warning', '-n', 'evt'],
    ['events', '-n', 'evt', '--no-headers', '--for', 'deploy/web'],
    ['events', '-n', 'evt-empty'],
    ['events', '-n', 'evt', '--for', 'pod/nope'],
    ['events', '--types', 'Info'],
    ['events', '--for', 'web-1'],
    ['events', '--for', 'nosuchthing/x'],
    ['events', '--for', 'pod/a/b'],
    ['events', '-n', 'evt', '--for', 'pod/web-2', '-o', 'yaml'],
    ['events', '-n', 'evt', '-o', 'name'],
    ['events', '-n', 'evt', '--for', 'deployment.apps/web', '-o', 'json'],
    ['get', 'events', '-n', 'evt'],
    ['get', 'events', '-n', 'evt', '--sort-by=.lastTimestamp'],
  ];
  itMatchesReal(serve, cases, normaliseAge, 60_000);

  it('events -w prints the existing events as the server sends them, each line aligned on its own', async () => {
    const ctrl = new AbortController();
    let out = '';
    const args = ['events', '-w', '-n', 'evt', '--types=Warning'];
    const ours = ourKubectlWatch(serve.url, args, (t) => (out += t), ctrl);
    await until(async () => out.split('\n').length > 2, 'watch output', 20_000);
    const real = await serve.real(args, { timeoutMs: 3000 });
    ctrl.abort();
    await ours;
    expect(out).toBe(real.stdout);
  }, 60_000);
});

async function ourKubectlWatch(server: string, args: string[], out: (t: string) => void, ctrl: AbortController): Promise<number> {
  const { createHttpTransport } = await import('../node/http-transport');
  const { ApiClient } = await import('../client/api-client');
  const { runKubectl } = await import('./run-kubectl');
  const { systemClock } = await import('../platform');
  const transport = createHttpTransport({ server });
  const signal: { aborted: boolean; onabort?: () => void } = { aborted: false };
  ctrl.signal.addEventListener('abort', () => {
    signal.aborted = true;
    signal.onabort?.();
  });
  try {
    return await runKubectl(args, { client: new ApiClient(transport), clock: systemClock(), stdout: out, stderr: () => undefined, namespace: 'default', signal });
  } finally {
    transport.close();
  }
}

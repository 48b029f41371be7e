import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { describePod } from './describe-pod';

const now = Date.UTC(2026, 0, 1, 0, 10, 0);

const pod: Pod = {
  metadata: { name: 'web', namespace: 'default', uid: 'u1', labels: { app: 'web' }, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: {
    nodeName: 'node-1',
    serviceAccountName: 'default',
    priority: 0,
    containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] }],
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  },
  status: {
    phase: 'Succeeded',
    hostIP: '10.0.0.1',
    podIP: '10.244.1.2',
    podIPs: [{ ip: '10.244.1.2' }],
    startTime: '2026-01-01T00:00:01Z',
    qosClass: 'BestEffort',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      {
        name: 'c', image: 'nginx', imageID: 'sha256:abc', containerID: 'wasm://123', ready: false, restartCount: 0,
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:02Z', finishedAt: '2026-01-01T00:00:03Z' } },
      },
    ],
  },
};

describe('describePod', () => {
  it('lays out a pod as kubectl 1.32 does', () => {
    const events = [
      { metadata: { name: 'e1' }, involvedObject: {}, type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web to node-1', source: { component: 'default-scheduler' }, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:00Z', count: 1 },
      { metadata: { name: 'e2' }, involvedObject: {}, type: 'Normal', reason: 'Pulled', message: 'Container image "nginx" already present on machine', source: { component: 'kubelet' }, firstTimestamp: '2026-01-01T00:05:00Z', lastTimestamp: '2026-01-01T00:09:57Z', count: 3 },
    ];
    expect(describePod(pod, events, now)).toBe(`Name:             web
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/10.0.0.1
Start Time:       Thu, 01 Jan 2026 00:00:01 +0000
Labels:           app=web
Annotations:      <none>
Status:           Succeeded
IP:               10.244.1.2
IPs:
  IP:  10.244.1.2
Containers:
  c:
    Container ID:   wasm://123
    Image:          nginx
    Image ID:       sha256:abc
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Terminated
      Reason:       Completed
      Exit Code:    0
      Started:      Thu, 01 Jan 2026 00:00:02 +0000
      Finished:     Thu, 01 Jan 2026 00:00:03 +0000
    Ready:          False
    Restart Count:  0
    Environment:
      A:     1
    Mounts:  <none>
Conditions:
  Type           Status
  Ready          False 
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age              From               Message
  ----    ------     ----             ----               -------
  Normal  Scheduled  10m              default-scheduler  Successfully assigned default/web to node-1
  Normal  Pulled     3s (x3 over 5m)  kubelet            Container image "nginx" already present on machine
`);
  });

  it('prints Events: <none> aligned with the fields above', () => {
    const out = describePod({ ...pod, spec: { ...pod.spec!, tolerations: [] } }, [], now);
    // No flush before "Events:\t<none>": it aligns with the block that starts at "Conditions:"'s rows.
    expect(out.endsWith('Node-Selectors:  <none>\nTolerations:     <none>\nEvents:          <none>\n')).toBe(true);
  });
});

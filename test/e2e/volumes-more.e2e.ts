import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

const cat = (page: Page, pod: string, path: string) => kubectl(page, `exec ${pod} -- cat ${path}`);

// The API-data volume types (secret, downwardAPI, projected) as files in busybox containers, read through kubectl exec.
describe('secret, downwardAPI and projected volumes in the tab', () => {
  const cluster = clusterPageFixture();
  let page: Page;

  beforeAll(async () => {
    page = cluster.page;
    // create, not apply: the annotations file must not carry last-applied-configuration.
    const docs = `apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {username: admin, password: s3cr3t}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast, level: '3'}
---
apiVersion: v1
kind: Pod
metadata: {name: sec}
spec:
  volumes:
  - name: picked
    secret:
      secretName: creds
      defaultMode: 256
      items: [{key: username, path: my-group/my-username}]
  - name: whole
    secret: {secretName: creds}
  - name: octal
    secret: {secretName: creds, defaultMode: 0440}
  containers:
  - name: app
    image: busybox
    command: [sleep, '3600']
    volumeMounts: [{name: picked, mountPath: /etc/picked}, {name: whole, mountPath: /etc/whole}]
---
apiVersion: v1
kind: Pod
metadata:
  name: downward
  labels: {app: web, tier: front}
  annotations: {build: '42', owner: team-a}
spec:
  volumes:
  - name: info
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
      - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}
      - {path: name, fieldRef: {fieldPath: metadata.name}}
      - {path: mem-mi, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 1Mi}}
      - {path: cpu-m, resourceFieldRef: {containerName: app, resource: limits.cpu, divisor: 1m}}
      - {path: cpu, resourceFieldRef: {containerName: app, resource: limits.cpu}}
  containers:
  - name: app
    image: busybox
    command: [sleep, '3600']
    resources: {limits: {memory: 64Mi, cpu: 250m}}
    volumeMounts: [{name: info, mountPath: /etc/info}]
---
apiVersion: v1
kind: Pod
metadata: {name: proj, labels: {app: proj}}
spec:
  volumes:
  - name: all
    projected:
      sources:
      - secret: {name: creds, items: [{key: password, path: secret/password}]}
      - configMap: {name: settings}
      - downwardAPI: {items: [{path: pod/name, fieldRef: {fieldPath: metadata.name}}, {path: pod/labels, fieldRef: {fieldPath: metadata.labels}}]}
      - serviceAccountToken: {path: token, audience: vault, expirationSeconds: 3600}
  containers:
  - name: app
    image: busybox
    command: [sleep, '3600']
    volumeMounts: [{name: all, mountPath: /projected}]
`;
    expect((await kubectl(page, 'create -f -', docs)).stdout).toBe('secret/creds created\nconfigmap/settings created\npod/sec created\npod/downward created\npod/proj created\n');
    for (const name of ['sec', 'downward', 'proj']) await waitForKubectl(page, `get pod ${name}`, (r) => /1\/1\s+Running/.test(r.stdout), 90000);
  }, 150_000);

  it('secret: items pick keys onto paths; defaultMode defaults to 0644 (420) and keeps 0400 (256) as given', async () => {
    expect(await cat(page, 'sec', '/etc/picked/my-group/my-username')).toEqual({ stdout: 'admin', stderr: '', exitCode: 0 });
    expect((await kubectl(page, 'exec sec -- ls /etc/picked')).stdout).toBe('my-group\n');
    expect((await cat(page, 'sec', '/etc/picked/password')).exitCode).toBe(1);
    expect((await kubectl(page, 'exec sec -- ls /etc/whole')).stdout).toBe('password\nusername\n');
    expect((await cat(page, 'sec', '/etc/whole/password')).stdout).toBe('s3cr3t');
    // WASI has no file modes, so the mode is only visible in the API object.
    const modes = await kubectl(page, `get pod sec -o jsonpath={.spec.volumes[0:2].secret.defaultMode}`);
    expect(modes.stdout).toBe('256 420');
    const ro = await kubectl(page, "exec sec -- sh -c 'echo x > /etc/whole/username'");
    expect(ro.exitCode).not.toBe(0);
    expect(ro.stderr).toContain('Read-only file system');
  });

  it('downwardAPI: labels and annotations as key="value" lines, limits through resourceFieldRef divisors', async () => {
    expect((await cat(page, 'downward', '/etc/info/labels')).stdout).toBe('app="web"\ntier="front"');
    expect((await cat(page, 'downward', '/etc/info/annotations')).stdout).toBe('build="42"\nowner="team-a"');
    expect((await cat(page, 'downward', '/etc/info/name')).stdout).toBe('downward');
    expect((await cat(page, 'downward', '/etc/info/mem-mi')).stdout).toBe('64');
    expect((await cat(page, 'downward', '/etc/info/cpu')).stdout).toBe('1'); // 250m with the default divisor 1: rounded up
  });

  it('downwardAPI: limits.cpu with divisor 1m is in millicores', async () => {
    expect((await cat(page, 'downward', '/etc/info/cpu-m')).stdout).toBe('250');
  });

  it('a YAML octal defaultMode (0440) is read as octal, as kubectl does', async () => {
    expect((await kubectl(page, 'get pod sec -o jsonpath={.spec.volumes[2].secret.defaultMode}')).stdout).toBe('288');
  });

  it('downwardAPI: a label change reaches the mounted file', async () => {
    expect((await kubectl(page, 'label pod downward tier=back --overwrite')).stdout).toBe('pod/downward labeled\n');
    const r = await waitForKubectl(page, 'exec downward -- cat /etc/info/labels', (x) => x.stdout.includes('back'), 90000);
    expect(r.stdout).toBe('app="web"\ntier="back"');
  }, 120_000);

  it('projected: secret, configMap, downwardAPI and a serviceAccountToken in one directory', async () => {
    expect((await kubectl(page, 'exec proj -- ls /projected')).stdout).toBe('level\nmode\npod\nsecret\ntoken\n');
    expect((await cat(page, 'proj', '/projected/secret/password')).stdout).toBe('s3cr3t');
    expect((await cat(page, 'proj', '/projected/mode')).stdout).toBe('fast');
    expect((await cat(page, 'proj', '/projected/level')).stdout).toBe('3');
    expect((await cat(page, 'proj', '/projected/pod/name')).stdout).toBe('proj');
    expect((await cat(page, 'proj', '/projected/pod/labels')).stdout).toBe('app="proj"');
    const token = (await cat(page, 'proj', '/projected/token')).stdout;
    const parts = token.split('.');
    expect(parts).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { aud: string[] | string; sub: string; exp: number; iat: number };
    expect([claims.aud].flat()).toEqual(['vault']);
    expect(claims.sub).toBe('system:serviceaccount:default:default');
    expect(claims.exp - claims.iat).toBe(3600);
  });
});

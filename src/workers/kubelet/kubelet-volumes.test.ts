import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { until, wasmNodes } from '../../../test/wasm-node-fixture';
import { stat } from './atomic-writer';
import { openPvStore, PV_DB_NAME } from './pv-store';
import { eventsOf, messages, NODE, pod, podOf, sleepForeverLauncher, type WasmNode } from './testing/wasm-node';

// Volumes end to end in the kubelet: real WASM busybox containers (in-process launcher), a fake apiserver.
const node = wasmNodes({ diskName: 'kubelet-volumes' });

const sh = (name: string, script: string, volumeMounts: unknown[]) => ({ name, image: 'busybox', command: ['sh', '-c', script], volumeMounts });
const logs = (n: WasmNode, name: string, c: string) => n.kubelet.api.containerLogs('default', name, c, {});
const phase = (n: WasmNode, name: string) => podOf(n.api, name)?.status?.phase;
const text = (n: WasmNode, path: string) => new TextDecoder().decode(n.runtime.hostFs.resolve(n.runtime.hostFs.root, path).bytes());

describe('kubelet volumes', () => {
  it('emptyDir: an init container writes, the app container reads; deleted with the pod', async () => {
    const n = await node();
    const m = [{ name: 'work', mountPath: '/work' }];
    n.api.put('pods', pod('ed', { restartPolicy: 'Never', volumes: [{ name: 'work', emptyDir: { sizeLimit: '1Ki' } }], initContainers: [sh('init', 'echo from-init > /work/msg && mkdir -p /work/d', m)], containers: [sh('app', 'cat /work/msg; ls /work', m)] }) as never);
    await until(() => phase(n, 'ed') === 'Succeeded', 'Succeeded');
    expect(await logs(n, 'ed', 'app')).toBe('from-init\nd\nmsg\n');
    expect(text(n, '/var/lib/kubelet/pods/uid-ed/volumes/kubernetes.io~empty-dir/work/msg')).toBe('from-init\n');
    n.api.remove('pods', 'default', 'ed');
    await until(() => !n.runtime.hostFs.root.children.get('var')?.children.get('lib')?.children.get('kubelet')?.children.get('pods')?.children.has('uid-ed'), 'emptyDir removed');
  });

  it('configMap: items with path and mode, defaultMode, the ..data layout, read-only, live update on resync', async () => {
    const n = await node({ launcher: (clock) => sleepForeverLauncher(clock) });
    n.api.put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'game', namespace: 'default' }, data: { 'game.properties': 'lives=3', ui: 'color=red' } } as never);
    n.api.put('pods', pod('cm', { volumes: [{ name: 'cfg', configMap: { name: 'game', defaultMode: 0o400, items: [{ key: 'game.properties', path: 'props/game' }, { key: 'ui', path: 'ui', mode: 0o600 }] } }], containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'cfg', mountPath: '/etc/game' }] }] }) as never);
    await until(() => phase(n, 'cm') === 'Running', 'Running');
    await n.kubelet.idle();
    const id = (await n.runtime.listContainers())[0].id;
    const exec = async (script: string) => {
      const r = await n.runtime.execSync(id, ['sh', '-c', script], 10);
      return new TextDecoder().decode(r.stderr) + new TextDecoder().decode(r.stdout);
    };
    expect(await exec('ls -a /etc/game; cat /etc/game/props/game; echo; cat /etc/game/ui')).toMatch(/^\.\n\.\.\n\.\.2026_01_01_00_00_00\.\d+\n\.\.data\nprops\nui\nlives=3\ncolor=red$/);
    expect(await exec('echo x > /etc/game/new; echo rc=$?')).toMatch(/Read-only file system\nrc=1\n$/);
    const dir = '/var/lib/kubelet/pods/uid-cm/volumes/kubernetes.io~configmap/cfg';
    expect(n.runtime.hostFs.resolve(n.runtime.hostFs.root, `${dir}/ui`, false).target).toBe('..data/ui');
    expect(n.runtime.hostFs.resolve(n.runtime.hostFs.root, `${dir}/ui`).mode).toBe(0o600);
    expect(n.runtime.hostFs.resolve(n.runtime.hostFs.root, `${dir}/props/game`).mode).toBe(0o400);

    n.api.put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'game', namespace: 'default' }, data: { 'game.properties': 'lives=5', ui: 'color=red' } } as never);
    await n.clock.advance(30_000);
    await n.kubelet.idle();
    expect(await exec('cat /etc/game/props/game')).toBe('lives=3');
    await n.clock.advance(30_000); // the 60 s sync period
    await n.kubelet.idle();
    expect(await exec('cat /etc/game/props/game')).toBe('lives=5');
  });

  it('a missing ConfigMap: FailedMount with the kubelet words, ContainerCreating, then starts once it exists (watched, no clock needed)', async () => {
    const n = await node();
    n.api.put('pods', pod('nocm', { restartPolicy: 'Never', volumes: [{ name: 'cfg', configMap: { name: 'later' } }, { name: 'sec', secret: { secretName: 'missing', optional: true } }], containers: [sh('app', 'cat /cfg/k', [{ name: 'cfg', mountPath: '/cfg' }, { name: 'sec', mountPath: '/sec' }])] }) as never);
    await until(() => messages(n.api, 'FailedMount').length > 0, 'FailedMount');
    await n.kubelet.idle();
    expect(messages(n.api, 'FailedMount')).toEqual(['MountVolume.SetUp failed for volume "cfg" : configmap "later" not found']);
    const cs = podOf(n.api, 'nocm')!.status!.containerStatuses![0];
    expect(cs.state?.waiting?.reason).toBe('ContainerCreating');
    expect(eventsOf(n.api).map((e) => e.reason)).not.toContain('Started');

    n.api.put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later', namespace: 'default' }, data: { k: 'v1' } } as never);
    await until(() => phase(n, 'nocm') === 'Succeeded', 'Succeeded');
    expect(await logs(n, 'nocm', 'app')).toBe('v1\n');
  });

  it('a missing key: configmap references non-existent config key', async () => {
    const n = await node();
    n.api.put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } } as never);
    n.api.put('pods', pod('nokey', { volumes: [{ name: 'cfg', configMap: { name: 'c', items: [{ key: 'b', path: 'b' }] } }], containers: [sh('app', 'true', [{ name: 'cfg', mountPath: '/cfg' }])] }) as never);
    await until(() => messages(n.api, 'FailedMount').length > 0, 'FailedMount');
    expect(messages(n.api, 'FailedMount')[0]).toBe('MountVolume.SetUp failed for volume "cfg" : configmap references non-existent config key: b');
  });

  it('secret, downwardAPI and the kube-api-access projected volume', async () => {
    const n = await node();
    n.api.put('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { password: 'czNjcjN0' } } as never);
    n.api.put('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----' } } as never);
    const p = pod('api', {
      restartPolicy: 'Never',
      volumes: [
        { name: 'sec', secret: { secretName: 's' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
        { name: 'kube-api-access-abcde', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }] } },
      ],
      containers: [
        sh('app', 'cat /s/password; echo; cat /info/labels; echo; cat /info/name; echo; cd /var/run/secrets/kubernetes.io/serviceaccount && ls && cat namespace && echo && cat ca.crt && echo && grep -c eyJ token', [
          { name: 'sec', mountPath: '/s' },
          { name: 'info', mountPath: '/info' },
          { name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
        ]),
      ],
    });
    p.metadata!.labels = { app: 'web', tier: 'front' };
    n.api.put('pods', p as never);
    await until(() => phase(n, 'api') === 'Succeeded', 'Succeeded');
    expect(await logs(n, 'api', 'app')).toBe('s3cr3t\napp="web"\ntier="front"\napi\nca.crt\nnamespace\ntoken\ndefault\n-----BEGIN CERTIFICATE-----\n1\n');
    const token = text(n, '/var/lib/kubelet/pods/uid-api/volumes/kubernetes.io~projected/kube-api-access-abcde/token');
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'system:serviceaccount:default:default', 'kubernetes.io': { namespace: 'default', pod: { name: 'api', uid: 'uid-api' } } });
  });

  it('hostPath: data written by one pod is there for the next pod on the node', async () => {
    const n = await node();
    const vol = [{ name: 'h', hostPath: { path: '/srv/data', type: 'DirectoryOrCreate' } }];
    n.api.put('pods', pod('w', { restartPolicy: 'Never', volumes: vol, containers: [sh('app', 'echo kept > /h/f', [{ name: 'h', mountPath: '/h' }])] }) as never);
    await until(() => phase(n, 'w') === 'Succeeded', 'writer Succeeded');
    n.api.remove('pods', 'default', 'w');
    n.api.put('pods', pod('r', { restartPolicy: 'Never', volumes: vol, containers: [sh('app', 'cat /h/f', [{ name: 'h', mountPath: '/h', readOnly: true }])] }) as never);
    await until(() => phase(n, 'r') === 'Succeeded', 'reader Succeeded');
    expect(await logs(n, 'r', 'app')).toBe('kept\n');
    expect(text(n, '/srv/data/f')).toBe('kept\n');
  });

  it('hostPath data saved for a reload is deleted when the Node object is deleted (next heartbeat)', async () => {
    const n = await node();
    const store = await openPvStore(PV_DB_NAME);
    const vol = [{ name: 'h', hostPath: { path: '/srv/gone', type: 'DirectoryOrCreate' } }];
    n.api.put('pods', pod('hg', { restartPolicy: 'Never', volumes: vol, containers: [sh('app', 'echo x > /h/f', [{ name: 'h', mountPath: '/h' }])] }) as never);
    await until(() => phase(n, 'hg') === 'Succeeded', 'writer Succeeded');
    const key = `hostPath:${NODE}:/srv/gone`;
    await until(async () => {
      await n.clock.advance(1_000);
      return (await store.keys(key)).length === 1;
    }, 'hostPath saved');
    n.api.remove('nodes', undefined, NODE);
    await until(async () => {
      await n.clock.advance(10_000);
      return (await store.keys(key)).length === 0;
    }, 'hostPath record deleted with the Node');
    store.close();
  });

  it('persistentVolumeClaim: the PV data outlives its pod and a reload (a new kubelet and runtime) in IndexedDB', async () => {
    const first = await node();
    const api = first.api;
    api.put('persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv-1' } }, status: { phase: 'Bound' } } as never);
    api.put('persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'claim', namespace: 'default' }, spec: { volumeName: 'pv-1', accessModes: ['ReadWriteOnce'] }, status: { phase: 'Bound' } } as never);
    const vol = [{ name: 'd', persistentVolumeClaim: { claimName: 'claim' } }];
    api.put('pods', pod('pw', { restartPolicy: 'Never', volumes: vol, containers: [sh('app', 'mkdir -p /d/sub && echo durable > /d/sub/f', [{ name: 'd', mountPath: '/d' }])] }) as never);
    await until(() => phase(first, 'pw') === 'Succeeded', 'writer Succeeded');
    api.remove('pods', 'default', 'pw');
    await until(() => !first.runtime.hostFs.lookup(first.runtime.hostFs.root, '/var/lib/tabernetes/pv/pv-1', true).node, 'PV saved and dropped from the node');
    first.dispose();

    const second = await node({ api });
    api.put('pods', pod('pr', { restartPolicy: 'Never', volumes: vol, containers: [sh('app', 'cat /d/sub/f', [{ name: 'd', mountPath: '/d' }])] }) as never);
    await until(() => phase(second, 'pr') === 'Succeeded', 'reader Succeeded');
    expect(await logs(second, 'pr', 'app')).toBe('durable\n');
  });

  it('emptyDir (disk medium) survives a reload (a new kubelet and runtime) while its pod exists, and is freed with it', async () => {
    const first = await node();
    const api = first.api;
    const store = await openPvStore(PV_DB_NAME);
    const script = 'if [ -f /d/f ]; then cat /d/f; exit 0; fi; echo kept > /d/f; exit 1';
    api.put('pods', pod('edr', { restartPolicy: 'OnFailure', volumes: [{ name: 'd', emptyDir: {} }], containers: [sh('app', script, [{ name: 'd', mountPath: '/d' }])] }) as never);
    await until(() => !!stat(first.runtime.hostFs, '/var/lib/kubelet/pods/uid-edr/volumes/kubernetes.io~empty-dir/d/f'), 'written');
    await until(async () => {
      await first.clock.advance(1_000);
      return (await store.keys(`emptyDir:${NODE}:uid-edr/`)).length === 1;
    }, 'emptyDir saved');
    first.dispose();

    const second = await node({ api });
    await until(() => phase(second, 'edr') === 'Succeeded', 'Succeeded after the reload');
    expect(await logs(second, 'edr', 'app')).toBe('kept\n');
    api.remove('pods', 'default', 'edr');
    await until(async () => (await store.keys(`emptyDir:${NODE}:uid-edr/`)).length === 0, 'saved emptyDir deleted with the pod');
    store.close();
  });

  it('persistentVolumeClaim: an unbound claim keeps the pod ContainerCreating with FailedMount', async () => {
    const n = await node();
    n.api.put('persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'pending', namespace: 'default' }, spec: {}, status: { phase: 'Pending' } } as never);
    n.api.put('pods', pod('pp', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'pending' } }], containers: [sh('app', 'true', [{ name: 'd', mountPath: '/d' }])] }) as never);
    await until(() => messages(n.api, 'FailedMount').length > 0, 'FailedMount');
    expect(messages(n.api, 'FailedMount')[0]).toBe('MountVolume.SetUp failed for volume "d" : error processing PVC default/pending: PVC is not bound');
  });
});

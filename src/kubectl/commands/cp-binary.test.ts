import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock, Pods } from '../../api';
import type { LocalCluster } from '../../cluster';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { startThreadedTestCluster } from '../../node/threaded-test-cluster';
import type { KubectlIO } from '../kubectl-io';
import { runKubectl } from '../run-kubectl';

// kubectl cp with bytes that are not UTF-8: the tar stream crosses exec stdin/stdout as bytes, both ways,
// against busybox tar in a real wasm pod. The local side is an in-memory folder tree.
let cluster: LocalCluster;
let clock: FakeClock;
const files = new Map<string, Uint8Array>();
const dirs = new Set<string>(['.']);

const local: Partial<KubectlIO> = {
  readFileBytes: (n) => files.get(n.replace(/^\.\//, '')),
  listDir: (n) => {
    const d = n.replace(/^\.\//, '');
    if (!dirs.has(d)) return undefined;
    const pre = d === '.' ? '' : `${d}/`;
    const names = new Set<string>();
    for (const k of [...files.keys(), ...dirs]) if (k.startsWith(pre) && k !== d) names.add(k.slice(pre.length).split('/')[0]);
    return [...names].map((name) => ({ name, dir: dirs.has(pre + name) }));
  },
  writeFile: (n, data) => void files.set(n.replace(/^\.\//, ''), data.slice()),
  mkdir: (n) => void dirs.add(n.replace(/^\.\//, '')),
};

async function kubectl(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runKubectl(argv, { client: cluster.client, clock, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), ...local });
  return { stdout, stderr, exitCode };
}

/** `kubectl exec bb -- cat PATH` with exec's stdout taken as bytes (io.stdoutBytes): the file as the pod has it. */
async function catBytes(path: string): Promise<Uint8Array> {
  const parts: number[] = [];
  const code = await runKubectl(['exec', 'bb', '--', 'cat', path], { client: cluster.client, clock, stdout: () => undefined, stderr: () => undefined, stdoutBytes: (b) => parts.push(...b) });
  expect(code).toBe(0);
  return Uint8Array.from(parts);
}

/** Every byte value, several times over in a scrambled order, crossing 512-byte tar block boundaries. */
function allBytes(): Uint8Array {
  const out = new Uint8Array(256 * 5 + 77);
  for (let i = 0; i < out.length; i++) out[i] = (i * 167 + (i >> 8)) & 0xff;
  return out;
}

beforeAll(async () => {
  await ensureImagesBuilt();
  ({ cluster, clock } = await startThreadedTestCluster(`kubectl-cp-binary-${process.pid}`, 97));
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bb', namespace: 'default' }, spec: { volumes: [{ name: 'data', emptyDir: {} }], containers: [{ name: 'bb', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } };
  await cluster.client.create(Pods, pod, 'default');
  const end = Date.now() + 30_000;
  while ((await cluster.client.get<Pod>(Pods, 'bb', 'default')).status?.phase !== 'Running') {
    if (Date.now() > end) throw new Error('pod bb not Running');
    await new Promise((r) => setTimeout(r, 20));
  }
}, 180_000);
afterAll(() => cluster?.stop());

describe('kubectl cp is binary-safe', () => {
  it('copies a file holding all 256 byte values into the pod and back, byte for byte', async () => {
    const data = allBytes();
    expect(new Set(data).size).toBe(256);
    files.set('bin.dat', data);
    expect(await kubectl('cp', 'bin.dat', 'bb:/data/bin.dat')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect((await kubectl('exec', 'bb', '--', 'wc', '-c', '/data/bin.dat')).stdout).toBe(`${data.length} /data/bin.dat\n`);
    expect(await catBytes('/data/bin.dat')).toEqual(data);

    expect((await kubectl('cp', 'bb:/data/bin.dat', 'back.dat')).exitCode).toBe(0);
    expect(files.get('back.dat')).toEqual(data);
  }, 60_000);

  it('copies a folder of binary files in and out (NULs, invalid UTF-8, 0xff runs)', async () => {
    dirs.add('bins');
    files.set('bins/zeros.bin', new Uint8Array(1000));
    files.set('bins/ff.bin', new Uint8Array(700).fill(0xff));
    files.set('bins/mixed.bin', Uint8Array.of(0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0, 10, 13, 0x80));
    expect(await kubectl('cp', 'bins', 'bb:/data/bins')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(await catBytes('/data/bins/mixed.bin')).toEqual(files.get('bins/mixed.bin'));
    expect(await catBytes('/data/bins/ff.bin')).toEqual(files.get('bins/ff.bin'));
    expect((await kubectl('cp', 'bb:/data/bins', 'out')).exitCode).toBe(0);
    for (const n of ['zeros.bin', 'ff.bin', 'mixed.bin']) expect(files.get(`out/${n}`), n).toEqual(files.get(`bins/${n}`));
  }, 60_000);
});

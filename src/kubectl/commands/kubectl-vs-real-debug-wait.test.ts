// `kubectl debug node/NAME` (the pod each --profile creates, the "Creating debugging pod" line) and
// `kubectl wait --for=create`, and the real kubectl's cp of a binary file both ways (the exec stream carries
// bytes end to end: src/node/ws-channel-frames.ts), against the real kubectl 1.32 on the same `npm run serve` cluster.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { itMatchesReal, REAL_KUBECTL, ServeFixture, until, type Run } from '../../../test/serve-helpers';

const serve = new ServeFixture('tabernetes-debug-wait-', {
  create: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: w}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: dbg-real}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: dbg-ours}\n',
});

/** The parts of a node debug pod kubectl decides (the server's defaults and the token volume left out). */
function shape(pod: Pod) {
  const s = pod.spec!;
  const c = s.containers[0];
  return {
    container: { name: c.name, image: c.image, command: c.command, args: c.args, stdin: c.stdin, tty: c.tty, securityContext: c.securityContext, terminationMessagePolicy: c.terminationMessagePolicy, mounts: c.volumeMounts?.filter((m) => !m.name.startsWith('kube-api-access-')) },
    volumes: s.volumes?.filter((v) => !v.name.startsWith('kube-api-access-')),
    host: [s.hostNetwork, s.hostPID, s.hostIPC],
    nodeName: s.nodeName,
    restartPolicy: s.restartPolicy,
    tolerations: s.tolerations?.filter((t) => t.operator === 'Exists' && !t.key),
    labels: pod.metadata?.labels,
  };
}

describe.skipIf(!REAL_KUBECTL)('kubectl debug node / wait --for=create match kubectl 1.32 against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);
  afterAll(() => serve.stop());

  itMatchesReal(serve, [
    ['wait', '--for=create', 'ns/w', '--timeout=2s'],
    ['wait', '--for=create', 'ns/nope', '--timeout=1s'],
    ['wait', '--for=create', 'pod/nope', '--timeout=0'],
    ['wait', '--for=create', 'pod', '--all', '-n', 'w', '--timeout=1s'],
    ['wait', '--for=create', 'ns/w', 'ns/nope', '--timeout=1s'],
    ['wait', '--for=CREATE', 'namespace', 'w'],
  ]);

  for (const profile of ['legacy', 'general', 'baseline', 'restricted', 'netadmin', 'sysadmin']) {
    it(`debug node/tabernetes-worker --profile=${profile}: same output and same pod`, async () => {
      const args = (ns: string) => ['debug', 'node/tabernetes-worker', '--image=busybox', `--profile=${profile}`, '-n', ns, '--', 'sleep', '1'];
      const norm = (r: Run) => ({ ...r, stdout: r.stdout.replace(/node-debugger-tabernetes-worker-[a-z0-9]{5}/, 'node-debugger-tabernetes-worker-XXXXX') });
      const real = await serve.real(args('dbg-real'));
      const ours = await serve.ours(args('dbg-ours'));
      expect(norm(ours)).toEqual(norm(real));
      const podOf = async (ns: string, out: string) => {
        const name = /pod (node-debugger-\S+) with/.exec(out)![1];
        return JSON.parse((await serve.ours(['get', 'pod', name, '-n', ns, '-o', 'json'])).stdout) as Pod;
      };
      expect(shape(await podOf('dbg-ours', ours.stdout))).toEqual(shape(await podOf('dbg-real', real.stdout)));
    }, 30_000);
  }

  it('debug node/nope and nodes/NAME -q', async () => {
    for (const args of [['debug', 'node/nope', '--image=busybox', '--profile=general'], ['debug', 'nodes/tabernetes-worker2', '-q', '--image=busybox', '--profile=general', '-n', 'w']]) {
      expect(await serve.ours(args)).toEqual(await serve.real(args));
    }
  }, 30_000);

  it('the real kubectl cp moves a file with all 256 byte values in and out unchanged', async () => {
    expect((await serve.real(['run', 'bb', '-n', 'w', '--image=busybox', '--restart=Never', '--', 'sleep', '3600'])).code).toBe(0);
    await until(async () => (await serve.real(['get', 'pod', 'bb', '-n', 'w', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', 'pod bb Running');
    const dir = await mkdtemp(join(tmpdir(), 'tabernetes-cp-'));
    try {
      const data = Buffer.from(Array.from({ length: 256 * 5 + 77 }, (_, i) => (i * 167 + (i >> 8)) & 0xff));
      await writeFile(join(dir, 'bin.dat'), data);
      expect(await serve.real(['cp', join(dir, 'bin.dat'), 'w/bb:/tmp/bin.dat'])).toEqual({ stdout: '', stderr: '', code: 0 });
      expect((await serve.real(['exec', '-n', 'w', 'bb', '--', 'wc', '-c', '/tmp/bin.dat'])).stdout).toBe(`${data.length} /tmp/bin.dat\n`);
      expect((await serve.real(['cp', 'w/bb:/tmp/bin.dat', join(dir, 'back.dat')])).code).toBe(0);
      expect(Buffer.compare(await readFile(join(dir, 'back.dat')), data)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

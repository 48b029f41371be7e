import { describe, expect, it } from 'vitest';
import { imagePodFixture } from './image-pod-fixture';

// images/netbench (docker.io/tabernetes/netbench), the client and server of `npm run bench:network`: each mode
// runs as a container over the shared pod network and prints one JSON line.
const { startPod, get } = imagePodFixture('netbench');
const IMAGE = 'docker.io/tabernetes/netbench:latest';

type Pod = Awaited<ReturnType<typeof startPod>>;

/** The JSON line of the given mode in the pod's log, once the container has exited, and its exit code. */
async function result(pod: Pod, mode: string): Promise<{ exitCode: number | undefined; json: Record<string, unknown> }> {
  await expect.poll(async () => (await pod.runtime.containerStatus(pod.id)).state, { timeout: 60_000 }).toBe('CONTAINER_EXITED');
  const line = (await pod.logs()).split('\n').find((l) => l.startsWith(`{"mode":"${mode}"`));
  return { exitCode: (await pod.runtime.containerStatus(pod.id)).exitCode, json: JSON.parse(line ?? '{}') as Record<string, unknown> };
}

describe('netbench image', () => {
  it('sink accepts; connect, stream and http (through http-echo, one at a time and polled) report counts that add up; a 500 or a refused connect exits 1', async () => {
    const sink = await startPod('10.244.3.20', IMAGE, 'sink');
    await expect.poll(sink.logs, { timeout: 30_000 }).toContain('{"mode":"sink","listening":5001}');

    const conn = await result(await startPod('10.244.3.21', IMAGE, 'conn', [], ['connect', '10.244.3.20', '5001', '40']), 'connect');
    expect(conn.exitCode).toBe(0);
    expect(conn.json).toMatchObject({ n: 40, samples: expect.stringMatching(/^per-/) });
    expect(conn.json.cycleP50Us as number).toBeLessThanOrEqual(conn.json.cycleMaxUs as number);

    const stream = await result(await startPod('10.244.3.22', IMAGE, 'stream', [], ['stream', '10.244.3.20', '5001', '3000000']), 'stream');
    expect(stream.exitCode).toBe(0);
    expect(stream.json).toMatchObject({ bytes: 3_000_000 });
    expect(stream.json.MBps as number).toBeGreaterThan(0);
    await expect.poll(sink.logs, { timeout: 10_000 }).toMatch(/\{"mode":"sink","bytes":3000000,"us":\d+,"MBps":[\d.]+\}/);

    await startPod('10.244.3.23', 'hashicorp/http-echo', 'echo', [], ['-text=hi']);
    expect(await get('10.244.3.23', 5678, '/')).toMatch(/\r\n\r\nhi\n$/);
    const http = await result(await startPod('10.244.3.30', IMAGE, 'http', [], ['http', '10.244.3.23', '5678', '/', '30', '6']), 'http');
    expect(http.json).toMatchObject({ requests: 30, concurrency: 6, ok: 30, failed: 0 });
    expect(http.exitCode).toBe(0);
    const seq = await result(await startPod('10.244.3.32', IMAGE, 'http-seq', [], ['http', '10.244.3.23', '5678', '/', '10', '1']), 'http');
    expect([seq.exitCode, seq.json]).toMatchObject([0, { requests: 10, concurrency: 1, ok: 10, failed: 0 }]);
    await startPod('10.244.3.34', 'hashicorp/http-echo', 'echo500', [], ['-text=no', '-status-code=500']);
    expect(await get('10.244.3.34', 5678, '/')).toMatch(/^HTTP\/1\.1 500 /);
    const error = await result(await startPod('10.244.3.33', IMAGE, 'http-500', [], ['http', '10.244.3.34', '5678', '/', '2', '1']), 'http');
    expect([error.exitCode, error.json]).toMatchObject([1, { ok: 0, failed: 2, error: 'not a 2xx answer' }]);

    const refused = await result(await startPod('10.244.3.31', IMAGE, 'refused', [], ['connect', '10.244.3.20', '6000', '3']), 'connect');
    expect(refused).toEqual({ exitCode: 1, json: { mode: 'connect', error: 'Connection refused', done: 0 } });
  }, 180_000);
});

import { describe, expect, it } from 'vitest';
import { imagePodFixture } from '../../../test/image-pod-fixture';
import { listenTcp } from '../../network';

// busybox wget's request headers and -T read timeout, against a JS listener on the pod network that reads
// the request and never answers. The connect timeout (a NetworkPolicy drop) is in test/network-policy.test.ts.
const { fabric, startPod } = imagePodFixture('busybox-wget');
const dec = new TextDecoder();

describe('busybox wget', () => {
  it('--header Host and -U replace its own; -T 1 ends a silent server with "download timed out", exit 1', async () => {
    const listener = listenTcp(fabric, '10.244.1.20', 8080);
    let request = '';
    const served = listener.accept().then(async (conn) => {
      for (let chunk = await conn.read(); chunk && !request.includes('\r\n\r\n'); chunk = await conn.read()) request += dec.decode(chunk);
      return conn;
    });
    const client = await startPod('10.244.1.21', 'busybox', 'cli', [], undefined, { command: ['sleep', '60'] });
    const start = Date.now();
    const r = await client.runtime.execSync(client.id, ['wget', '-q', '-T', '1', '--header', 'Host: example.com', '--header=X-Test: 1', '-U', 'agent/2', '-O-', 'http://10.244.1.20:8080/p'], 30);
    const elapsed = Date.now() - start;
    expect({ out: dec.decode(r.stdout), err: dec.decode(r.stderr), exitCode: r.exitCode }).toEqual({ out: '', err: 'wget: download timed out\n', exitCode: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(6000);
    expect(request).toBe('GET /p HTTP/1.1\r\nUser-Agent: agent/2\r\nConnection: close\r\nHost: example.com\r\nX-Test: 1\r\n\r\n');
    (await served).close();
    listener.close();
  }, 120_000);
});

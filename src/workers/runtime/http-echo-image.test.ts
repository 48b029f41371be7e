import { describe, expect, it } from 'vitest';
import { imagePodFixture } from '../../../test/image-pod-fixture';
import { dialTcp } from '../../network';

// Behaviour of images/http-echo (hashicorp/http-echo) in a pod on the network fabric, dialled from JS as the
// kubelet (probes, port-forward) does.
const { fabric, startPod: start, request } = imagePodFixture('http-echo', { fromIp: '172.18.0.2' });
const startPod = (podIP: string, args: string[]) => start(podIP, 'hashicorp/http-echo', 'echo', [], args, { container: 'echo' });

describe('hashicorp/http-echo image', () => {
  it('answers any path with the text and a newline, 200 OK, and logs the request', async () => {
    const pod = await startPod('10.244.1.5', ['-text=hello world']);
    const res = await request('10.244.1.5', 5678, 'GET /anything HTTP/1.1\r\nHost: echo\r\nUser-Agent: kube-probe/1.32\r\nConnection: close\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Length: 12\r\nContent-Type: text\/plain; charset=utf-8\r\nDate: .* GMT\r\nConnection: close\r\nX-App-Name: http-echo\r\nX-App-Version: 1\.0\.0\r\n\r\nhello world\n$/);
    await expect.poll(pod.logs, { timeout: 10_000 }).toMatch(/\[INFO\] server is listening on :5678\n.*\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d echo 172\.18\.0\.2:\d+ "GET \/anything HTTP\/1\.1" 200 12 "kube-probe\/1\.32" \d+µs/s);
    await pod.runtime.stopContainer(pod.id, 0);
  }, 120_000);

  it('honours -listen and -status-code, keeps the connection alive between requests, and /health', async () => {
    const pod = await startPod('10.244.1.6', ['-text', 'down', '-listen=:8080', '-status-code', '503']);
    const res = await request('10.244.1.6', 8080, 'GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    const [first, second] = res.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*\r\n\r\ndown\n$/);
    expect(first).not.toContain('Connection: close');
    expect(second).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*\r\n\r\n\{"status":"ok"\}\n$/);
    await expect(dialTcp(fabric, '10.244.1.6', 5678)).rejects.toThrow('dial tcp 10.244.1.6:5678: connect: connection refused');
    await pod.runtime.stopContainer(pod.id, 0);
    await expect(dialTcp(fabric, '10.244.1.6', 8080)).rejects.toThrow('connection refused');
  }, 120_000);
});

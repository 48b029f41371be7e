import { describe, expect, it } from 'vitest';
import { imagePodFixture } from '../../../test/image-pod-fixture';

// Behaviour of images/kubernetes-bootcamp (gcr.io/google-samples/kubernetes-bootcamp:v1,
// jocatalin/kubernetes-bootcamp:v2, as the Kubernetes Basics tutorial uses them), dialled from JS.
const { startPod, get } = imagePodFixture('bootcamp');

describe('kubernetes-bootcamp image', () => {
  it('kubernetes-bootcamp v1 and v2 answer as the tutorial shows and log the start and each request', async () => {
    const v1 = await startPod('10.244.3.12', 'gcr.io/google-samples/kubernetes-bootcamp:v1', 'kubernetes-bootcamp-5485cc6795-abcde');
    const res = await get('10.244.3.12', 8080, '/');
    expect(res).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Type: text\/plain\r\nDate: .* GMT\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n/);
    expect(res.slice(res.indexOf('\r\n\r\n') + 4)).toBe('54\r\nHello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-5485cc6795-abcde | v=1\n\r\n0\r\n\r\n');
    await expect.poll(v1.logs, { timeout: 10_000 }).toMatch(
      /Kubernetes Bootcamp App Started At: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \| Running On:  kubernetes-bootcamp-5485cc6795-abcde \n\n[\s\S]*Running On: kubernetes-bootcamp-5485cc6795-abcde \| Total Requests: 1 \| App Uptime: [\d.]+ seconds \| Log Time: \d{4}-\d\d-\d\dT/,
    );
    expect(await v1.logs()).toContain('Tabernetes WASI build of gcr.io/google-samples/kubernetes-bootcamp:v1');
    const v2 = await startPod('10.244.3.13', 'jocatalin/kubernetes-bootcamp:v2', 'kb2');
    expect(await get('10.244.3.13', 8080, '/')).toContain('Hello Kubernetes bootcamp! | Running on: kb2 | v=2\n');
    await v1.runtime.stopContainer(v1.id, 0);
    await v2.runtime.stopContainer(v2.id, 0);
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { imagePodFixture } from '../../../test/image-pod-fixture';

// Behaviour of images/hello-app (gcr.io/google-samples/hello-app:1.0 and 2.0), dialled from JS.
const { startPod, get } = imagePodFixture('hello');

describe('hello-app image', () => {
  it('hello-app:1.0 answers as the Go sample and logs its two lines; 2.0 on $PORT says Version: 2.0.0', async () => {
    const v1 = await startPod('10.244.3.10', 'gcr.io/google-samples/hello-app:1.0', 'hello-7d9f');
    const res = await get('10.244.3.10', 8080, '/any/path');
    expect(res).toMatch(/^HTTP\/1\.1 200 OK\r\nDate: .* GMT\r\nContent-Length: 50\r\nContent-Type: text\/plain; charset=utf-8\r\nConnection: close\r\n\r\nHello, world!\nVersion: 1\.0\.0\nHostname: hello-7d9f\n$/);
    await expect.poll(v1.logs, { timeout: 10_000 }).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Tabernetes WASI build of gcr\.io\/google-samples\/hello-app:1\.0\n\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Server listening on port 8080\n\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Serving request: \/any\/path$/);
    const v2 = await startPod('10.244.3.11', 'gcr.io/google-samples/hello-app:2.0', 'hello-v2', [{ key: 'PORT', value: '9000' }]);
    expect(await get('10.244.3.11', 9000, '/')).toMatch(/\r\n\r\nHello, world!\nVersion: 2\.0\.0\nHostname: hello-v2\n$/);
    await v1.runtime.stopContainer(v1.id, 5);
    expect((await v1.runtime.containerStatus(v1.id)).exitCode).toBe(2);
    await v2.runtime.stopContainer(v2.id, 0);
  }, 120_000);
});

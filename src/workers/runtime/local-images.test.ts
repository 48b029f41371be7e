import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { readTar } from '../../kubectl/commands/cp-tar';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { withLocalImages, type OciManifest } from './image-source';
import { InvalidReferenceError } from './image-ref';
import { lazyLocalImages, localNameFromFile, openLocalImages, packWasmImage } from './local-images';
import { openNodeDisk } from './node-disk';
import { createInProcessLauncher } from './process-launcher';
import { createWasmRuntime } from './wasm-runtime';

beforeAll(() => ensureImagesBuilt(), 60_000);

const sha256 = async (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const dec = new TextDecoder();

/** The /hello module of the built hello-world image (public/images). */
async function helloWasm(): Promise<Uint8Array> {
  const src = createFsImageSource();
  const desc = (await src.readIndex()).manifests.find((m) => m.annotations?.['io.containerd.image.name'] === 'docker.io/library/hello-world:latest')!;
  const manifest = JSON.parse(dec.decode(await src.readBlob(desc.digest))) as OciManifest;
  const file = readTar(await src.readBlob(manifest.layers[0]!.digest)).find((e) => e.name.replace(/^\.?\//, '') === 'hello');
  return file!.data;
}

let dbSeq = 0;

describe('local images (imported .wasm)', () => {
  it('packs a one-layer OCI image whose digests are the sha256 of its blobs; names follow distribution/reference', async () => {
    const wasm = await helloWasm();
    const img = await packWasmImage({ name: 'greeter', wasm, importedAt: 1, sha256 });
    expect(img.record).toMatchObject({ ref: 'docker.io/local/greeter:latest', short: 'local/greeter', entrypoint: ['/greeter'], size: wasm.length });
    expect(img.record.descriptor.annotations).toEqual({ 'io.containerd.image.name': 'docker.io/local/greeter:latest', 'org.opencontainers.image.ref.name': 'latest' });
    for (const [digest, bytes] of img.blobs) expect(digest).toBe(`sha256:${await sha256(bytes)}`);
    const [layer] = readTar(img.blobs[0]![1]);
    expect(layer).toMatchObject({ name: 'greeter', mode: 0o755 });
    expect(layer!.data).toEqual(wasm);
    expect((await packWasmImage({ name: 'x', tag: 'v2', wasm, importedAt: 1, sha256 })).record.short).toBe('local/x:v2');
    await expect(packWasmImage({ name: 'Bad Name', wasm, importedAt: 1, sha256 })).rejects.toBeInstanceOf(InvalidReferenceError);
    expect(localNameFromFile('My Program_v2.WASM')).toBe('my-program-v2');
  });

  it('the library survives reopening; re-importing a name replaces it and drops its old blobs; remove takes short names', async () => {
    const name = `local-images-${++dbSeq}`;
    const lib = await openLocalImages(name);
    const a = await packWasmImage({ name: 'app', wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), importedAt: 1, sha256 });
    await lib.add(a);
    lib.close();
    const again = await openLocalImages(name);
    expect((await again.list()).map((r) => r.ref)).toEqual(['docker.io/local/app:latest']);
    const b = await packWasmImage({ name: 'app', wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 0]), importedAt: 2, sha256 });
    await again.add(b);
    expect((await again.readIndex()).manifests.map((m) => m.digest)).toEqual([b.record.descriptor.digest]);
    await expect(again.readBlob(a.blobs[0]![0])).rejects.toThrow(/not found/);
    expect(await again.readBlob(b.blobs[0]![0])).toEqual(b.blobs[0]![1]);
    expect(await again.remove('local/app')).toBe(true);
    expect(await again.remove('local/app')).toBe(false);
    expect((await again.readIndex()).manifests).toEqual([]);
    await expect(again.readBlob(b.record.descriptor.digest)).rejects.toThrow(/not found/);
    again.close();
  });

  it('a runtime whose source is withLocalImages pulls and runs local/<name>, and still pulls public images', async () => {
    const dbName = `local-images-${++dbSeq}`;
    const lib = await openLocalImages(dbName);
    await lib.add(await packWasmImage({ name: 'greeter', wasm: await helloWasm(), importedAt: 1, sha256 }));
    const clock = new FakeClock();
    const ids = seededIds(7);
    const disk = await openNodeDisk(`local-images-node-${dbSeq}`);
    const runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: withLocalImages(createFsImageSource(), lazyLocalImages(dbName)), launcher: createInProcessLauncher({ clock, ids }) });
    const ref = await runtime.pullImage({ image: 'local/greeter' });
    expect(ref).toMatch(/^docker\.io\/local\/greeter@sha256:[0-9a-f]{64}$/);
    expect(await runtime.pullImage({ image: 'busybox' })).toMatch(/^docker\.io\/library\/busybox@sha256:/);
    const err = await runtime.pullImage({ image: 'local/nope' }).catch((e: unknown) => e);
    expect(String((err as Error).message)).toContain('failed to resolve reference "docker.io/local/nope:latest": docker.io/local/nope:latest: not found');

    const sb = { metadata: { name: 'x', namespace: 'default', uid: 'u', attempt: 0 }, logDirectory: '/var/log/pods/default_x_u' };
    const sandboxId = await runtime.runPodSandbox(sb);
    const id = await runtime.createContainer(sandboxId, { metadata: { name: 'x', attempt: 0 }, image: { image: 'local/greeter' }, logPath: 'x/0.log' }, sb);
    await runtime.startContainer(id);
    await expect.poll(async () => (await runtime.containerStatus(id)).state, { timeout: 10_000 }).toBe('CONTAINER_EXITED');
    const status = await runtime.containerStatus(id);
    expect(status).toMatchObject({ exitCode: 0, image: { image: 'docker.io/local/greeter:latest' } });
    const lines = ((await disk.readLog(status.logPath)) ?? []).map((l) => l.replace(/^\S+ /, ''));
    expect(lines).toContain('stdout F Hello from Tabernetes!');
    expect(lines).toContain('stdout F /greeter');
    runtime.dispose();
    lib.close();
  }, 60_000);
});

import { RuntimeError, type Image, type NodeDisk } from './cri';
import { InvalidReferenceError, parseImageRef } from './image-ref';
import { IMAGE_NAME_ANNOTATION, type ImageSource, type OciImageConfig, type OciManifest } from './image-source';
import type { RootfsSnapshot } from './wasi/mem-fs';
import { rootfsFromLayers } from './wasi/rootfs-from-layers';

/** A pulled image as kept on the node disk under `image/<id>`; its layers under `blob/<digest>`. */
export interface StoredImage {
  /** sha256:… of the config blob. */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  manifestDigest: string;
  config: OciImageConfig;
  layers: string[];
}

const dec = new TextDecoder();

/**
 * containerd's image service, trimmed: pulls from one ImageSource, keeps images and layer blobs on the node
 * disk, and caches unpacked rootfs snapshots in memory. Errors are RuntimeError with the text kubelet shows
 * after "Failed to pull image …: ".
 */
export class ImageStore {
  private readonly images = new Map<string, StoredImage>();
  private readonly rootfs = new Map<string, Promise<RootfsSnapshot>>();
  private loaded: Promise<void> | undefined;
  /** Pulls in flight by reference: a pull of a reference already being pulled shares it (its result or error). */
  private readonly pulling = new Map<string, Promise<string>>();

  constructor(
    private readonly disk: NodeDisk,
    private readonly source: ImageSource,
  ) {}

  private load(): Promise<void> {
    this.loaded ??= this.disk.listState<StoredImage>('image/').then((rows) => {
      for (const { value } of rows) this.images.set(value.id, value);
    });
    return this.loaded;
  }

  async pull(image: string): Promise<string> {
    await this.load();
    let parsed: ReturnType<typeof parseImageRef>;
    try {
      parsed = parseImageRef(image);
    } catch (err) {
      const why = err instanceof InvalidReferenceError ? err.message : String(err);
      throw new RuntimeError('ErrImagePull', `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": ${why}`);
    }
    const ref = parsed.ref;
    let inFlight = this.pulling.get(ref);
    if (!inFlight) {
      inFlight = this.fetch(ref, parsed);
      this.pulling.set(ref, inFlight);
      const done = inFlight;
      void done.then(
        () => this.pulling.get(ref) === done && this.pulling.delete(ref),
        () => this.pulling.get(ref) === done && this.pulling.delete(ref),
      );
    }
    return inFlight;
  }

  private async fetch(ref: string, parsed: ReturnType<typeof parseImageRef>): Promise<string> {
    const fail = (code: string, why: string) =>
      new RuntimeError('ErrImagePull', `rpc error: code = ${code} desc = failed to pull and unpack image "${ref}": ${why}`);
    let manifestDigest: string;
    try {
      const index = await this.source.readIndex();
      const desc = index.manifests.find((m) => {
        const name = m.annotations?.[IMAGE_NAME_ANNOTATION];
        if (parsed.digest) return m.digest === parsed.digest && (!name || name.startsWith(`${parsed.repository}:`) || name === parsed.repository);
        return name === ref;
      });
      if (!desc) throw fail('NotFound', `failed to resolve reference "${ref}": ${ref}: not found`);
      manifestDigest = desc.digest;
    } catch (err) {
      if (err instanceof RuntimeError) throw err;
      throw fail('Unknown', `failed to resolve reference "${ref}": ${messageOf(err)}`);
    }
    try {
      const manifest = JSON.parse(dec.decode(await this.source.readBlob(manifestDigest))) as OciManifest;
      const configBytes = await this.source.readBlob(manifest.config.digest);
      const config = JSON.parse(dec.decode(configBytes)) as OciImageConfig;
      let size = configBytes.length;
      for (const layer of manifest.layers) {
        const key = `blob/${layer.digest}`;
        const have = await this.disk.getState<Uint8Array>(key);
        const bytes = have ?? (await this.source.readBlob(layer.digest));
        if (!have) await this.disk.putState(key, bytes);
        size += bytes.length;
      }
      const id = manifest.config.digest;
      const repoDigest = `${parsed.repository}@${manifestDigest}`;
      const tag = parsed.tag ? `${parsed.repository}:${parsed.tag}` : undefined;
      if (tag) await this.untag(tag, id);
      const prev = this.images.get(id);
      const stored: StoredImage = {
        id,
        repoTags: uniq([...(prev?.repoTags ?? []), ...(tag ? [tag] : [])]),
        repoDigests: uniq([...(prev?.repoDigests ?? []), repoDigest]),
        size,
        manifestDigest,
        config,
        layers: manifest.layers.map((l) => l.digest),
      };
      this.images.set(id, stored);
      await this.disk.putState(`image/${id}`, stored);
      return repoDigest;
    } catch (err) {
      throw fail('Unknown', messageOf(err));
    }
  }

  /** Finds a pulled image by tag reference, repo digest or id. */
  async find(image: string): Promise<StoredImage | undefined> {
    await this.load();
    if (this.images.has(image)) return this.images.get(image);
    let ref: string;
    try {
      ref = parseImageRef(image).ref;
    } catch {
      return undefined;
    }
    for (const img of this.images.values()) {
      if (img.repoTags.includes(ref) || img.repoDigests.includes(ref) || img.id === `sha256:${image}`) return img;
    }
    return undefined;
  }

  async list(): Promise<Image[]> {
    await this.load();
    return [...this.images.values()].map(toImage);
  }

  async status(image: string): Promise<Image | undefined> {
    const img = await this.find(image);
    return img && toImage(img);
  }

  async remove(image: string): Promise<void> {
    const img = await this.find(image);
    if (!img) return;
    this.images.delete(img.id);
    this.rootfs.delete(img.id);
    await this.disk.deleteState(`image/${img.id}`);
    const stillUsed = new Set([...this.images.values()].flatMap((i) => i.layers));
    for (const layer of img.layers) if (!stillUsed.has(layer)) await this.disk.deleteState(`blob/${layer}`);
  }

  /** The image's unpacked root filesystem (shared, read-only: each container's writable layer copies a file on first write). */
  rootfsOf(img: StoredImage): Promise<RootfsSnapshot> {
    let fs = this.rootfs.get(img.id);
    if (!fs) {
      fs = (async () => {
        const layers: Uint8Array[] = [];
        for (const digest of img.layers) {
          const bytes = await this.disk.getState<Uint8Array>(`blob/${digest}`);
          if (!bytes) throw new Error(`layer ${digest} of image ${img.id} is missing from the node disk`);
          layers.push(bytes);
        }
        return rootfsFromLayers(layers);
      })();
      fs.catch(() => this.rootfs.delete(img.id));
      this.rootfs.set(img.id, fs);
    }
    return fs;
  }

  private async untag(tag: string, keepId: string): Promise<void> {
    for (const img of this.images.values()) {
      if (img.id === keepId || !img.repoTags.includes(tag)) continue;
      img.repoTags = img.repoTags.filter((t) => t !== tag);
      await this.disk.putState(`image/${img.id}`, img);
    }
  }
}

function toImage(img: StoredImage): Image {
  return { id: img.id, repoTags: [...img.repoTags], repoDigests: [...img.repoDigests], size: img.size };
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs)];
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

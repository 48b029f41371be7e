/** OCI image layout types (image-spec v1.1) as the runtime reads them, and where they come from. */

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
}

export interface OciIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: OciDescriptor[];
}

export interface OciManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
}

export interface OciImageConfig {
  architecture: string;
  os: string;
  config?: { Entrypoint?: string[] | null; Cmd?: string[] | null; Env?: string[] | null; WorkingDir?: string };
  rootfs: { type: 'layers'; diff_ids: string[] };
}

/** Annotation holding the full image name on an index entry (containerd's convention). */
export const IMAGE_NAME_ANNOTATION = 'io.containerd.image.name';
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/**
 * A read-only OCI image layout (public/images): the browser reads it with fetch, Node tests from disk.
 * readBlob rejects when the blob is missing.
 */
export interface ImageSource {
  readIndex(): Promise<OciIndex>;
  readBlob(digest: string): Promise<Uint8Array>;
}

/** What `createHttpImageSource` needs from fetch (structural, so core stays free of DOM types). */
export type FetchLike = (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** An ImageSource over HTTP: `${baseUrl}/index.json` and `${baseUrl}/blobs/sha256/<hex>`. */
export function createHttpImageSource(baseUrl: string, fetchFn: FetchLike): ImageSource {
  const base = baseUrl.replace(/\/+$/, '');
  const get = async (url: string) => {
    const res = await fetchFn(url);
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  return {
    async readIndex() {
      return JSON.parse(new TextDecoder().decode(await get(`${base}/index.json`))) as OciIndex;
    },
    readBlob(digest) {
      const [alg, hex] = digest.split(':');
      return get(`${base}/blobs/${alg}/${hex}`);
    },
  };
}

/**
 * Layers `local` (the images imported in this tab, src/workers/runtime/local-images.ts) over `base`: the index
 * lists local manifests first, so a name both hold resolves to the local image; blobs are read from `local`,
 * then from `base`. A failing local index is treated as empty (public images keep working).
 */
export function withLocalImages(base: ImageSource, local: ImageSource): ImageSource {
  return {
    async readIndex() {
      const [mine, theirs] = await Promise.all([local.readIndex().catch(() => undefined), base.readIndex()]);
      return { ...theirs, manifests: [...(mine?.manifests ?? []), ...theirs.manifests] };
    },
    readBlob: (digest) => local.readBlob(digest).catch(() => base.readBlob(digest)),
  };
}

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { writeTar } from '../../kubectl/commands/cp-tar';
import { InvalidReferenceError, parseImageRef } from './image-ref';
import { IMAGE_NAME_ANNOTATION, REF_NAME_ANNOTATION, type ImageSource, type OciDescriptor, type OciIndex } from './image-source';

/**
 * Images the user imported into this browser (a `.wasm` dropped on the page): an OCI image layout kept in
 * IndexedDB database `tabernetes-local-images`, shared by the page (which writes it) and every kubelet Worker
 * (which reads it through withLocalImages before public/images). So an imported image is on every node of the
 * tab at once and survives a reload.
 */
export const LOCAL_IMAGES_DB = 'tabernetes-local-images';
/** Imported images live under docker.io/local/ (`local/<name>` normalises there, as in Docker). */
export const LOCAL_REPOSITORY_PREFIX = 'docker.io/local/';

const MT = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
};

/** One imported image as the library lists it. */
export interface LocalImageRecord {
  /** Full reference: docker.io/local/<name>:<tag>. */
  ref: string;
  /** What a pod spec names: local/<name>:<tag> (or local/<name> for :latest). */
  short: string;
  descriptor: OciDescriptor;
  /** Bytes of the wasm module. */
  size: number;
  /** Entrypoint of the image config: ['/<name>']. */
  entrypoint: string[];
  /** Wall-clock ms when it was imported (page time; shown only). */
  importedAt: number;
}

/** An image ready to store: its index entry and every blob (layer, config, manifest) by digest. */
export interface PackedImage {
  record: LocalImageRecord;
  blobs: Array<[digest: string, bytes: Uint8Array]>;
}

/** Throws InvalidReferenceError (distribution/reference's text) unless `name` is one repository path component. */
export function validateLocalName(name: string, tag = 'latest'): string {
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(name)) throw new InvalidReferenceError(`invalid reference format: "${name}" must be lowercase letters, digits and single . _ - separators`);
  return parseImageRef(`local/${name}:${tag}`).ref;
}

/** A file name (`Hello World.wasm`) as an image name (`hello-world`); '' when nothing usable is left. */
export function localNameFromFile(fileName: string): string {
  return fileName
    .replace(/\.wasm$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const enc = new TextEncoder();
const json = (v: unknown) => enc.encode(JSON.stringify(v));

/**
 * Packs a WASI command module as a one-layer OCI image: the module at `/<name>` (mode 0755), Entrypoint
 * ['/<name>'], PATH in Env, WorkingDir '/'. `sha256` returns the lowercase hex digest (crypto.subtle on the
 * page, node:crypto in tests). Throws InvalidReferenceError for a bad name.
 */
export async function packWasmImage(opts: { name: string; tag?: string; wasm: Uint8Array; importedAt: number; sha256(bytes: Uint8Array): Promise<string> }): Promise<PackedImage> {
  const tag = opts.tag ?? 'latest';
  const ref = validateLocalName(opts.name, tag);
  const digest = async (b: Uint8Array) => `sha256:${await opts.sha256(b)}`;
  const layer = writeTar([{ name: opts.name, type: '0', mode: 0o755, mtime: 0, data: opts.wasm, linkname: '' }]);
  const layerDigest = await digest(layer);
  const entrypoint = [`/${opts.name}`];
  const config = json({
    architecture: 'wasm',
    os: 'wasip1',
    config: { Entrypoint: entrypoint, Cmd: [], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [layerDigest] },
    history: [{ created_by: 'tabernetes import (wasm)' }],
  });
  const configDigest = await digest(config);
  const manifest = json({
    schemaVersion: 2,
    mediaType: MT.manifest,
    config: { mediaType: MT.config, digest: configDigest, size: config.length },
    layers: [{ mediaType: MT.layer, digest: layerDigest, size: layer.length }],
  });
  const manifestDigest = await digest(manifest);
  const descriptor: OciDescriptor = {
    mediaType: MT.manifest,
    digest: manifestDigest,
    size: manifest.length,
    platform: { architecture: 'wasm', os: 'wasip1' },
    annotations: { [IMAGE_NAME_ANNOTATION]: ref, [REF_NAME_ANNOTATION]: tag },
  };
  const short = `local/${opts.name}${tag === 'latest' ? '' : `:${tag}`}`;
  return {
    record: { ref, short, descriptor, size: opts.wasm.length, entrypoint, importedAt: opts.importedAt },
    blobs: [
      [layerDigest, layer],
      [configDigest, config],
      [manifestDigest, manifest],
    ],
  };
}

interface LocalImagesSchema extends DBSchema {
  images: { key: string; value: LocalImageRecord };
  blobs: { key: string; value: Uint8Array };
}

/** The IndexedDB library: an ImageSource (index = the imported images) that the page can add to and remove from. */
export interface LocalImageLibrary extends ImageSource {
  /** Adds or replaces (same ref) an image; blobs no other image uses are dropped. One transaction. */
  add(image: PackedImage): Promise<void>;
  /** Imported images, newest first. */
  list(): Promise<LocalImageRecord[]>;
  /** Removes by full or short reference; false when there was none. */
  remove(ref: string): Promise<boolean>;
  close(): void;
}

/** Opens (creating if needed) the library in the global indexedDB. Rejects if IndexedDB is unavailable. */
export async function openLocalImages(dbName = LOCAL_IMAGES_DB): Promise<LocalImageLibrary> {
  const db = await openDB<LocalImagesSchema>(dbName, 1, {
    upgrade(d) {
      d.createObjectStore('images');
      d.createObjectStore('blobs');
    },
  });
  return new IdbLocalImages(db);
}

class IdbLocalImages implements LocalImageLibrary {
  constructor(private readonly db: IDBPDatabase<LocalImagesSchema>) {}

  async readIndex(): Promise<OciIndex> {
    return { schemaVersion: 2, manifests: (await this.list()).map((r) => r.descriptor) };
  }

  async readBlob(digest: string): Promise<Uint8Array> {
    const b = await this.db.get('blobs', digest);
    if (!b) throw new Error(`blob ${digest} not found`);
    return b;
  }

  async add(image: PackedImage): Promise<void> {
    const tx = this.rw();
    for (const [digest, bytes] of image.blobs) await tx.objectStore('blobs').put(bytes, digest);
    await tx.objectStore('images').put(image.record, image.record.ref);
    await this.collect(tx);
    await tx.done;
  }

  async list(): Promise<LocalImageRecord[]> {
    return (await this.db.getAll('images')).sort((a, b) => b.importedAt - a.importedAt);
  }

  async remove(ref: string): Promise<boolean> {
    let full: string;
    try {
      full = parseImageRef(ref).ref;
    } catch {
      return false;
    }
    const tx = this.rw();
    const had = (await tx.objectStore('images').get(full)) !== undefined;
    if (had) {
      await tx.objectStore('images').delete(full);
      await this.collect(tx);
    }
    await tx.done;
    return had;
  }

  /** Deletes blobs no image's manifest (or its config and layers) refers to. */
  private rw() {
    return this.db.transaction(['images', 'blobs'], 'readwrite');
  }

  private async collect(tx: ReturnType<IdbLocalImages['rw']>): Promise<void> {
    const keep = new Set<string>();
    const dec = new TextDecoder();
    for (const img of await tx.objectStore('images').getAll()) {
      keep.add(img.descriptor.digest);
      const m = await tx.objectStore('blobs').get(img.descriptor.digest);
      if (!m) continue;
      const manifest = JSON.parse(dec.decode(m)) as { config: { digest: string }; layers: Array<{ digest: string }> };
      keep.add(manifest.config.digest);
      for (const l of manifest.layers) keep.add(l.digest);
    }
    for (const key of await tx.objectStore('blobs').getAllKeys()) if (!keep.has(key)) await tx.objectStore('blobs').delete(key);
  }

  close(): void {
    this.db.close();
  }
}

/**
 * An ImageSource over the library that opens it on first use (so a kubelet's start does not wait for it) and
 * keeps the connection; if IndexedDB cannot be opened it behaves as an empty layout.
 */
export function lazyLocalImages(dbName = LOCAL_IMAGES_DB): ImageSource {
  let lib: Promise<LocalImageLibrary | undefined> | undefined;
  const open = () => (lib ??= openLocalImages(dbName).catch(() => undefined));
  return {
    async readIndex() {
      return (await (await open())?.readIndex()) ?? { schemaVersion: 2, manifests: [] };
    },
    async readBlob(digest) {
      const l = await open();
      if (!l) throw new Error(`blob ${digest} not found`);
      return l.readBlob(digest);
    },
  };
}

// Node-only: an ImageSource over an OCI image layout directory (public/images by default).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageSource, OciIndex } from '../workers/runtime/image-source';
import { repoRoot } from './wasi-toolchain.mjs';

export const defaultImagesDir = join(repoRoot, 'public', 'images');

/** Reads index.json and blobs/<alg>/<hex> from dir; rejects (ENOENT) when a file is missing. */
export function createFsImageSource(dir: string = defaultImagesDir): ImageSource {
  return {
    async readIndex() {
      return JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as OciIndex;
    },
    async readBlob(digest) {
      const [alg, hex] = digest.split(':');
      return new Uint8Array(await readFile(join(dir, 'blobs', alg, hex)));
    },
  };
}

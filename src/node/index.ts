/**
 * src/node: Node-only helpers for tests and scripts (never imported by core or Worker code).
 * - wasi-toolchain.mjs: compileC (clang → wasm32-wasip1, cached in .cache/images); used by scripts/build-images.mjs.
 * - compileCFile: compile one C file to a WebAssembly.Module (tests of the WASI host).
 * - ensureImagesBuilt: run scripts/build-images.mjs once per process (tests that pull images).
 * - createFsImageSource: an ImageSource over public/images (or any OCI layout directory).
 */
export { compileC, sourcesKey, TOOLCHAIN_VERSION } from './wasi-toolchain.mjs';
export { compileCFile } from './compile-c-file';
export { ensureImagesBuilt } from './ensure-images-built';
export { createFsImageSource, defaultImagesDir } from './fs-image-source';

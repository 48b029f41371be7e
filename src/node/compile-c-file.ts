// Node-only test helper: compiles one C file to a WebAssembly.Module with the cached wasi toolchain.
import { readFile } from 'node:fs/promises';
import { compileC } from './wasi-toolchain.mjs';

const modules = new Map<string, Promise<{ module: WebAssembly.Module; wasm: Uint8Array }>>();

/** Compiles the C file at `file` (cached in .cache/images by content) and memoises the result per process. */
export function compileCFile(file: string | URL): Promise<{ module: WebAssembly.Module; wasm: Uint8Array }> {
  const key = String(file);
  let m = modules.get(key);
  if (!m) {
    m = (async () => {
      const { wasm } = await compileC({ 'main.c': await readFile(file, 'utf8') });
      return { module: await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>), wasm };
    })();
    modules.set(key, m);
  }
  return m;
}

// Node-only test helper: compiles one C file to a WebAssembly.Module with the cached wasi toolchain.
import { readFile } from 'node:fs/promises';
import { compileC } from './wasi-toolchain.mjs';

const modules = new Map<string, Promise<{ module: WebAssembly.Module; wasm: Uint8Array }>>();

const includeDir = new URL('../../images/include/', import.meta.url);

/**
 * Compiles the C file at `file` (cached in .cache/images by content) and memoises the result per process.
 * A file that includes "tabernetes.h" or "tabernetes_socket.h" gets that header from images/include beside it.
 */
export function compileCFile(file: string | URL): Promise<{ module: WebAssembly.Module; wasm: Uint8Array }> {
  const key = String(file);
  let m = modules.get(key);
  if (!m) {
    m = (async () => {
      const source = await readFile(file, 'utf8');
      const sources: Record<string, string> = { 'main.c': source };
      for (const header of ['tabernetes.h', 'tabernetes_socket.h']) {
        if (source.includes(`"${header}"`)) sources[header] = await readFile(new URL(header, includeDir), 'utf8');
      }
      const { wasm } = await compileC(sources);
      return { module: await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>), wasm };
    })();
    modules.set(key, m);
  }
  return m;
}

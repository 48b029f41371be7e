/** The import modules the container host provides (src/workers/runtime/wasi/wasi-host.ts imports()). */
const PROVIDED_MODULES = new Set(['wasi_snapshot_preview1', 'tabernetes', 'tabernetes_process', 'tabernetes_sock']);

/** The verdict on a module: an error stops the import; warnings are shown with a successful one. */
export interface WasmCheck {
  error?: string;
  warnings: string[];
}

/**
 * Checks that bytes are a WASI preview1 command module a container can run: the `\0asm` header, that it
 * compiles, a `_start` export, and (warning only) imports from modules the host does not provide.
 */
export async function checkWasiModule(bytes: Uint8Array): Promise<WasmCheck> {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    return { error: 'not a WebAssembly module (the file does not start with \\0asm)', warnings: [] };
  }
  let mod: WebAssembly.Module;
  try {
    mod = await WebAssembly.compile(bytes.slice().buffer as ArrayBuffer);
  } catch (err) {
    return { error: `the module does not compile: ${err instanceof Error ? err.message : String(err)}`, warnings: [] };
  }
  if (!WebAssembly.Module.exports(mod).some((e) => e.name === '_start' && e.kind === 'function')) {
    return { error: 'no _start export: a container needs a WASI command module (a C main built for wasm32-wasip1), not a library or reactor', warnings: [] };
  }
  const foreign = [...new Set(WebAssembly.Module.imports(mod).map((i) => i.module))].filter((m) => !PROVIDED_MODULES.has(m));
  const warnings = foreign.map((m) => `it imports from module "${m}", which Tabernetes does not provide: the container will fail to start`);
  return { warnings };
}

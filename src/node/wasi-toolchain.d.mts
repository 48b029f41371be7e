/** Types for wasi-toolchain.mjs (plain ESM so that scripts/build-images.mjs can import it without a TS loader). */
export declare const TOOLCHAIN_VERSION: string;
export declare const repoRoot: string;
export declare const cacheDir: string;
export declare function sourcesKey(sources: Record<string, string | Uint8Array>, extra?: string): string;
export declare function compileC(
  sources: Record<string, string | Uint8Array>,
  opts?: { main?: string; extra?: string },
): Promise<{ wasm: Uint8Array; cached: boolean }>;

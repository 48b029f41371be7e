// Node-only: compiles C sources to wasm32-wasip1 with @yowasp/clang, with a content-addressed cache.
// Shared by scripts/build-images.mjs and the runtime tests (types in wasi-toolchain.d.mts).
// Contract: compileC rejects with an Error carrying clang's diagnostics when compilation fails;
// a cache hit never loads the compiler.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when compile flags or the toolchain change: it is part of every cache key. */
export const TOOLCHAIN_VERSION = 'wasi-toolchain-1 clang --target=wasm32-wasip1 -O2';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = join(repoRoot, '.cache', 'images');

/** sha256 hex over the version string and the sources (sorted by name). */
export function sourcesKey(sources, extra = '') {
  const h = createHash('sha256');
  h.update(TOOLCHAIN_VERSION + '\0' + extra + '\0');
  for (const name of Object.keys(sources).sort()) {
    h.update(name + '\0');
    h.update(sources[name]);
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * Compiles `main` (a key of sources) and every other *.c in sources into one wasm module.
 * Returns { wasm, cached }.
 */
export async function compileC(sources, { main = 'main.c', extra = '' } = {}) {
  const key = sourcesKey(sources, extra);
  const file = join(cacheDir, `${key}.wasm`);
  try {
    return { wasm: new Uint8Array(await readFile(file)), cached: true };
  } catch {
    // cache miss
  }
  const { runClang } = await import('@yowasp/clang');
  // Fetch the toolchain's resources up front: runClang's own first step would log progress to stdout.
  await runClang(null, {}, { fetchProgress: () => undefined });
  const units = [main, ...Object.keys(sources).filter((n) => n.endsWith('.c') && n !== main).sort()];
  const chunks = [];
  const stderr = (bytes) => {
    if (bytes) chunks.push(Buffer.from(bytes));
  };
  let out;
  try {
    out = await runClang(['clang', '--target=wasm32-wasip1', '-O2', '-o', 'out.wasm', ...units], { ...sources }, {
      stdout: stderr,
      stderr,
      fetchProgress: () => undefined,
    });
  } catch (err) {
    const text = Buffer.concat(chunks).toString('utf8');
    throw new Error(`clang failed${err && err.code !== undefined ? ` (exit ${err.code})` : ''}:\n${text}`);
  }
  const wasm = out['out.wasm'];
  if (!(wasm instanceof Uint8Array)) throw new Error(`clang produced no output:\n${Buffer.concat(chunks).toString('utf8')}`);
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, wasm);
  await rename(tmp, file);
  return { wasm, cached: false };
}

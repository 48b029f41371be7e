// Node-only test helper: runs scripts/build-images.mjs once per process (a no-compile run when cached).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './wasi-toolchain.mjs';

let built: Promise<void> | undefined;

/** Builds public/images (compiling only what changed); rejects with the script's output on failure. */
export function ensureImagesBuilt(): Promise<void> {
  built ??= promisify(execFile)(process.execPath, [join(repoRoot, 'scripts', 'build-images.mjs')], { cwd: repoRoot }).then(
    () => undefined,
    (err: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`build-images failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    },
  );
  return built;
}

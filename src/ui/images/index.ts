/**
 * src/ui/images: importing a user's program. A `.wasm` (WASI preview1 command module) dropped on the page or
 * picked in the Import dialog is checked (wasm-check.ts), packed as the OCI image docker.io/local/<name>:latest
 * and stored in IndexedDB (src/workers/runtime/local-images.ts), where every kubelet of the tab finds it before
 * public/images; `kubectl run x --image=local/<name>` then runs it. The dialog lists and removes imported images.
 */
export { ImportWasm } from './import-wasm';
export { checkWasiModule, type WasmCheck } from './wasm-check';

import { limitModuleCpu } from './limit-module-cpu';
import { limitModuleMemory } from './limit-module-memory';

/**
 * Compiled container programs, per node: one WebAssembly.Module per key (image layers + path), memory limit
 * and CPU limit. A CPU limit rewrites the module with throttle checks; one it cannot rewrite runs
 * unthrottled. A failed compile is not cached. `key` undefined: compiled afresh (a file changed in a layer).
 */
export class ModuleCache {
  private readonly modules = new Map<string, Promise<WebAssembly.Module>>();

  compile(key: string | undefined, bytes: Uint8Array, memoryLimit?: number, cpuLimited?: boolean): Promise<WebAssembly.Module> {
    if (key === undefined) return build(bytes, memoryLimit, cpuLimited);
    if (memoryLimit !== undefined) key += `@${memoryLimit}`;
    if (cpuLimited) key += '+cpu';
    let m = this.modules.get(key);
    if (!m) {
      const k = key;
      m = build(bytes, memoryLimit, cpuLimited);
      m.catch(() => this.modules.delete(k));
      this.modules.set(key, m);
    }
    return m;
  }
}

async function build(bytes: Uint8Array, memoryLimit?: number, cpuLimited?: boolean): Promise<WebAssembly.Module> {
  let limited = memoryLimit !== undefined ? limitModuleMemory(bytes, memoryLimit) : bytes;
  if (cpuLimited) {
    try {
      limited = limitModuleCpu(limited);
    } catch {
      // unsupported instructions: no throttle
    }
  }
  return WebAssembly.compile(limited as Uint8Array<ArrayBuffer>);
}

import type { KubectlIO } from '../kubectl/kubectl-io';
import { resolveWorkspacePath } from './workspace-paths';
import { WORKSPACE_ERROR_TEXT, WorkspaceError, type Workspace } from './workspace-store';

/**
 * kubectl's local files in the tab: paths resolve against cwd() (the shell's current folder). Text is what
 * -f/-k read; cp reads and writes bytes (kept as text when they are valid UTF-8, so the editor can open them).
 */
export function workspaceKubectlIO(ws: Workspace, cwd: () => string): Pick<KubectlIO, 'readFile' | 'listDir' | 'readFileBytes' | 'writeFile' | 'mkdir'> {
  const at = (name: string) => resolveWorkspacePath(cwd(), name);
  const reason = (e: unknown) => new Error(e instanceof WorkspaceError ? WORKSPACE_ERROR_TEXT[e.code] : String(e));
  return {
    readFile: (name) => ws.readText(at(name)),
    listDir: (name) => ws.list(at(name))?.map((e) => ({ name: e.name, dir: e.dir })),
    readFileBytes(name) {
      const d = ws.read(at(name));
      return typeof d === 'string' ? new TextEncoder().encode(d) : d;
    },
    async writeFile(name, data) {
      let content: string | Uint8Array = data;
      try {
        content = new TextDecoder('utf-8', { fatal: true }).decode(data);
      } catch {
        /* binary: kept as bytes */
      }
      try {
        await ws.write(at(name), content);
      } catch (e) {
        throw reason(e);
      }
    },
    async mkdir(name) {
      try {
        await ws.mkdir(at(name), { parents: true });
      } catch (e) {
        throw reason(e);
      }
    },
  };
}

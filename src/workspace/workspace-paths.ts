/**
 * Workspace path resolution: the result is relative to the workspace root, normalised, without a leading
 * or trailing '/'; '' is the root. '..' above the root stays at the root (as `cd /..` does).
 */
export function resolveWorkspacePath(cwd: string, path: string): string {
  const parts = path.startsWith('/') ? [] : cwd.split('/');
  const out: string[] = [];
  for (const p of [...parts, ...path.split('/')]) {
    if (p === '' || p === '.' || p === '~') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
}

/** The folder holding path ('' for a top-level entry). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Where kustomize reads files: the disk in Node, the in-tab workspace files in the page (KubectlIO.readFile). */
export interface KustomizeFs {
  /** The text of a file; undefined when it does not exist or is a directory. */
  readFile(path: string): string | undefined | Promise<string | undefined>;
}

/** Joins and normalises a relative path onto dir ("." and ".." resolved, absolute rel kept). */
export function joinPath(dir: string, rel: string): string {
  const base = rel.startsWith('/') ? [] : dir.split('/');
  const abs = rel.startsWith('/') || dir.startsWith('/');
  const out: string[] = [];
  for (const part of [...base, ...rel.split('/')]) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && abs) continue;
    else out.push(part);
  }
  return (abs ? '/' : '') + (out.join('/') || (abs ? '' : '.'));
}

export function baseName(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

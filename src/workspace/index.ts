/**
 * src/workspace: the in-tab workspace — the user's files, persisted in IndexedDB ("tabernetes-workspace").
 * Paths are relative, '/'-separated, normalised (`web/deploy.yaml`); folders are implicit (any prefix of a
 * file's path) or explicit (mkdir, kept until removed). Used by the page (editor file list, the terminal shell,
 * kubectl's -f/-k/cp through KubectlIO). Runs wherever IndexedDB does (page; Node tests with fake-indexeddb).
 * - openWorkspace({ name, seed }): loads every file into memory (reads are synchronous), seeds it on first open.
 * - Workspace: read/write/remove/rename/mkdir/list/isDir/onChange.
 * - resolveWorkspacePath(cwd, path): the shell's path resolution ('..', '.', leading '/').
 * - workspaceKubectlIO(ws, cwd): KubectlIO's readFile/listDir/readFileBytes/writeFile over a workspace.
 */
export { openWorkspace, type Workspace, type WorkspaceEntry, type WorkspaceData } from './workspace-store';
export { resolveWorkspacePath, parentOf, baseNameOf } from './workspace-paths';
export { workspaceKubectlIO } from './workspace-kubectl-io';

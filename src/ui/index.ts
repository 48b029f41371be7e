/**
 * src/ui: the page (the only layer that touches the DOM).
 * - main.tsx: entry; takes the cluster lock, boots the cluster, installs window.tabernetes, renders App.
 * - boot/: creates the Workers in order and wires their MessagePorts (docs/architecture.md).
 * - terminal/: xterm.js pane, a pure line editor, the small shell (kubectl, file built-ins over the workspace,
 *   pipes, redirections, here-documents), and terminal-stdin (hands the keyboard to exec -i/-t and run -i).
 * - editor/: the Monaco manifest editor with Apply (kubectl apply -f -) and the workspace's file list
 *   (tab-workspace.ts opens the page's one src/workspace, seeded with example manifests).
 * - cluster/: the live cluster view (list + watch through the API, like any client): nodes and their pods,
 *   Services and Ingresses with Open links into the preview pane; long pod lists are windowed
 *   (windowed-list.tsx, visible-range.ts) and grouped per node without re-sorting (group-by-node.ts); every
 *   view of a resource shares one list and one watch, and all lists publish in one tick (live-list.ts).
 * - audit/: the audit view (the apiserver Worker's audit ring, polled while open).
 * - images/: importing a user's .wasm as image local/<name> (dialog and page-wide drop target).
 * - kubectl-runner.ts: the page's one kubectl (terminal, editor and window.tabernetes share it).
 */
export {};

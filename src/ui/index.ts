/**
 * src/ui: the page (the only layer that touches the DOM).
 * - main.tsx: entry; takes the cluster lock, boots the cluster, installs window.tabernetes, renders App.
 * - boot/: creates the Workers in order and wires their MessagePorts (docs/architecture.md).
 * - terminal/: xterm.js pane, a pure line editor, the small shell that runs kubectl, and terminal-stdin
 *   (hands the keyboard to exec -i/-t and run -i while they run).
 * - editor/: the Monaco manifest editor with Apply (kubectl apply -f -).
 * - cluster/: the live cluster view (list + watch through the API, like any client).
 * - kubectl-runner.ts: the page's one kubectl (terminal, editor and window.tabernetes share it).
 */
export {};

/**
 * src/ui/preview: the preview pane, where a pod's, Service's, NodePort's, Ingress's or port-forward's web page
 * opens inside the app. Where the server offers a preview origin (same host, another port; see
 * src/ui/sw/preview-origin.ts) the pane frames preview-frame.html there, which opens the page with its scripts
 * on that origin and relays its Service Worker's requests to the app; otherwise the page opens on a /_/ URL of
 * the app's origin without scripts, until the user ticks "Allow scripts". openPreview(url) opens it from
 * anywhere on the page.
 */
export { PreviewPane, PREVIEW_SANDBOX, PREVIEW_SCRIPT_SANDBOX } from './preview-pane';
export { openPreview } from './open-preview';
export { previewMode, type PreviewMode } from './preview-mode';

/**
 * src/ui/preview: the preview pane, where a pod's, Service's, NodePort's, Ingress's or port-forward's web page
 * opens inside the app (an iframe sandboxed without scripts, on a /_/ URL the Service Worker in
 * src/ui/sw serves). openPreview(url) opens it from anywhere on the page.
 */
export { PreviewPane, PREVIEW_SANDBOX } from './preview-pane';
export { openPreview } from './open-preview';

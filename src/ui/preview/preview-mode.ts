import { discoverPreviewOrigin, PREVIEW_FRAME_PATH } from '../sw/preview-origin';

/** Where previews open: on the preview origin (scripts run there), or on the app's own origin. */
export type PreviewMode = { kind: 'second-origin'; origin: string } | { kind: 'same-origin' };

/** The page's preview mode: the preview origin when the server offers one (discoverPreviewOrigin), else same-origin. Never rejects. */
export async function previewMode(): Promise<PreviewMode> {
  const origin = await discoverPreviewOrigin();
  return origin ? { kind: 'second-origin', origin } : { kind: 'same-origin' };
}

/** The URL the pane's iframe loads for a /_/ path in the preview origin mode. */
export function previewFrameUrl(origin: string, path: string): string {
  return `${origin}${PREVIEW_FRAME_PATH}#${path}`;
}

/**
 * Same-origin mode only: asks the controlling Service Worker to let pages under the scope of `path` run
 * scripts (allow) or not. Resolves once the worker acknowledged (within 2 s, else resolves anyway).
 */
export function setScriptsAllowed(path: string, allow: boolean): Promise<void> {
  const sw = navigator.serviceWorker?.controller;
  if (!sw) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const ch = new MessageChannel();
    const timer = setTimeout(resolve, 2000);
    ch.port1.onmessage = () => (clearTimeout(timer), ch.port1.close(), resolve());
    sw.postMessage({ type: 'tabernetes-preview-scripts', path, allow }, [ch.port2]);
  });
}

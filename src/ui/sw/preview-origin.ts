/**
 * The second origin that previews are served from, so a pod's page can run its JavaScript without reaching
 * the app: `http://localhost:P` ↔ `http://127.0.0.1:P` (the same server answers both names; the browser keeps
 * them apart as different sites). Other hosts have no second origin: previews then stay on the app's origin,
 * script-less unless the user allows scripts (preview-pane.tsx).
 */

/** The bootstrap page on the preview origin (src/ui/preview/preview-frame.html, served by vite.config.ts). */
export const PREVIEW_FRAME_PATH = '/preview-frame.html';

/** The preview origin paired with the app's `loc`, or undefined when the host has no loopback twin. */
export function previewOriginFor(loc: { protocol: string; hostname: string; port: string }): string | undefined {
  const twin = loc.hostname === 'localhost' ? '127.0.0.1' : loc.hostname === '127.0.0.1' ? 'localhost' : undefined;
  if (!twin || (loc.protocol !== 'http:' && loc.protocol !== 'https:')) return undefined;
  return `${loc.protocol}//${twin}${loc.port ? `:${loc.port}` : ''}`;
}

/**
 * The relay's refusal rule: a request relayed from the preview origin (a pod's page, which may post anything)
 * is answered unless it targets the apiserver (`api/…`, in any percent-encoding) or is malformed.
 */
export function relayTargetAllowed(target: unknown): boolean {
  if (typeof target !== 'string') return false;
  const first = target.split(/[/?#]/)[0];
  try {
    return decodeURIComponent(first).toLowerCase() !== 'api';
  } catch {
    return false;
  }
}

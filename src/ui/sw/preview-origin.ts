/**
 * The second origin that previews are served from, so a pod's page can run its JavaScript without reaching
 * the app: the same host on another port (`http://127.0.0.1:P` → `http://127.0.0.1:Q`). Same site, other origin:
 * the browser keeps the pages apart (DOM, storage; document.domain is off in the isolated app), while the
 * Service Worker there stays first-party (Chromium refuses a cross-site frame's registration when third-party
 * cookies are blocked, as in incognito windows). The server says which port at PREVIEW_ORIGIN_PATH (vite.config.ts
 * runs that listener for `vite` and `vite preview`); without it previews stay on the app's origin, script-less
 * unless the user allows scripts (src/ui/preview).
 */

/** The bootstrap page on the preview origin (src/ui/preview/preview-frame.html). */
export const PREVIEW_FRAME_PATH = '/preview-frame.html';
/** On the app's origin: `{ "port": Q }`, the preview origin's port on the same host. */
export const PREVIEW_ORIGIN_PATH = '/preview-origin.json';

/** The origin on `port` of the app's host and scheme. */
export function previewOriginFor(loc: { protocol: string; hostname: string }, port: number): string {
  return `${loc.protocol}//${loc.hostname}:${port}`;
}

let discovered: Promise<string | undefined> | undefined;

/**
 * The preview origin, asked once: the server's PREVIEW_ORIGIN_PATH, then a no-cors fetch of its bootstrap page
 * (it must answer, with CORP cross-origin). undefined when either fails or the page has no Service Worker
 * support. Never rejects.
 */
export function discoverPreviewOrigin(): Promise<string | undefined> {
  discovered ??= (async () => {
    if (!navigator.serviceWorker) return undefined;
    try {
      const res = await fetch(PREVIEW_ORIGIN_PATH, { cache: 'no-store' });
      if (!res.ok) return undefined;
      const { port } = (await res.json()) as { port?: unknown };
      if (typeof port !== 'number' || !Number.isInteger(port) || port <= 0 || String(port) === location.port) return undefined;
      const origin = previewOriginFor(location, port);
      await fetch(origin + PREVIEW_FRAME_PATH, { mode: 'no-cors', cache: 'no-store' });
      return origin;
    } catch {
      return undefined;
    }
  })();
  return discovered;
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

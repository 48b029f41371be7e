import { PROXY_SW_URL } from './proxy-host';

const RELOADED = 'tabernetes:coi-reload';

/**
 * coi-serviceworker's bootstrap: on a page that is not cross-origin isolated (a static host that sends no
 * COOP/COEP), registers the Service Worker (which adds those headers to the app's navigations) and reloads
 * once it controls the page. Resolves true when the page is isolated; false when it cannot be (no Service
 * Worker support, or a reload already happened in this tab session without isolation: no reload loop).
 * Never rejects. Resolving false leaves the caller to report the missing isolation.
 */
export async function ensureCrossOriginIsolated(): Promise<boolean> {
  if (crossOriginIsolated) {
    sessionStorage.removeItem(RELOADED);
    return true;
  }
  const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!container || sessionStorage.getItem(RELOADED)) return false;
  try {
    await container.register(PROXY_SW_URL, { scope: '/' });
    if (!container.controller) await new Promise<void>((resolve) => container.addEventListener('controllerchange', () => resolve(), { once: true }));
  } catch (err) {
    console.warn('tabernetes: the Service Worker did not register, the page cannot be cross-origin isolated:', err);
    return false;
  }
  sessionStorage.setItem(RELOADED, '1');
  location.reload();
  return new Promise<boolean>(() => undefined); // the reload replaces the page
}

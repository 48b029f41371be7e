import { useEffect, useState } from 'react';
import { PREVIEW_EVENT } from '../sw/port-forward-host';
import { previewFrameUrl, previewMode, setScriptsAllowed, type PreviewMode } from './preview-mode';

/**
 * The iframe's sandbox: no scripts, same origin (so the Service Worker controls the page and keeps its
 * subresources in scope; Chromium sends an opaque-origin frame's requests past it). The Service Worker sends the
 * same policy as `Content-Security-Policy: sandbox …` for pages opened in a tab.
 */
export const PREVIEW_SANDBOX = 'allow-same-origin allow-forms allow-popups allow-downloads';
/**
 * The iframe's sandbox on the preview origin, or after "Allow scripts": scripts run. Without
 * allow-top-navigation the page cannot navigate the app away.
 */
export const PREVIEW_SCRIPT_SANDBOX = `allow-scripts ${PREVIEW_SANDBOX}`;

/**
 * The preview pane: an iframe on a /_/ URL (a Service, NodePort, Ingress, pod or port-forward served by the
 * Service Worker) with an address bar: back, reload, the URL (Enter navigates), open in a new tab, close.
 * Hidden until a PREVIEW_EVENT ({ url }) arrives on window (open links, kubectl port-forward). The pane keeps
 * its own history of the URLs it was sent to.
 * Modes (preview-mode.ts): on the preview origin the iframe loads its bootstrap page (preview-frame.html),
 * which opens the URL with scripts on that origin, relays its Service Worker's requests to this app and reports
 * the page's own navigations (shown in the URL box). Without a preview origin the page opens here without
 * scripts; the "Allow scripts" toggle reloads it with scripts, after a warning that it can then reach the app.
 * The iframe carries data-url (the /_/ URL) and data-mode ('second-origin' | 'same-origin').
 */
export function PreviewPane() {
  const [history, setHistory] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const [generation, setGeneration] = useState(0);
  const url = history[history.length - 1];
  const [mode, setMode] = useState<PreviewMode>();
  const [scripts, setScripts] = useState(false);
  const [acked, setAcked] = useState('');

  useEffect(() => {
    let live = true;
    void previewMode().then((m) => live && setMode(m));
    return () => void (live = false);
  }, []);

  useEffect(() => {
    if (mode?.kind !== 'second-origin') return;
    const onLocation = (e: MessageEvent) => {
      const d = e.data as { type?: string; url?: unknown } | undefined;
      if (e.origin === mode.origin && d?.type === 'tabernetes-preview-location' && typeof d.url === 'string') setDraft(d.url);
    };
    window.addEventListener('message', onLocation);
    return () => window.removeEventListener('message', onLocation);
  }, [mode]);

  // same-origin mode: the Service Worker learns the page's script permission before the frame loads
  const frameKey = `${generation}:${scripts}`;
  useEffect(() => {
    if (mode?.kind !== 'same-origin' || !url) return;
    let live = true;
    void setScriptsAllowed(url, scripts).then(() => live && setAcked(frameKey));
    return () => void (live = false);
  }, [mode, url, scripts, frameKey]);

  useEffect(() => {
    const onOpen = (e: Event) => {
      const next = (e as CustomEvent<{ url?: string }>).detail?.url;
      if (!next) return;
      setHistory((h) => [...h, next]);
      setDraft(next);
      setGeneration((g) => g + 1);
    };
    window.addEventListener(PREVIEW_EVENT, onOpen);
    return () => window.removeEventListener(PREVIEW_EVENT, onOpen);
  }, []);

  if (!url) return null;
  const second = mode?.kind === 'second-origin' ? mode.origin : undefined;
  const go = (to: string) => {
    const clean = to.trim();
    if (!clean) return;
    const path = clean.startsWith('http') ? new URL(clean).pathname + new URL(clean).search : clean.startsWith('/') ? clean : `/${clean}`;
    setHistory((h) => [...h, path]);
    setDraft(path);
    setGeneration((g) => g + 1);
  };
  const back = () => {
    const h = history.slice(0, -1);
    setHistory(h);
    setDraft(h[h.length - 1] ?? '');
    setGeneration((g) => g + 1);
  };
  return (
    <section className="pane preview-pane" data-testid="preview-pane" style={{ display: 'flex', flexDirection: 'column', minHeight: 320 }}>
      <header className="pane-header" style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
        <span>Preview</span>
        <button type="button" data-testid="preview-back" title="Back" disabled={history.length < 2} onClick={back}>
          ←
        </button>
        <button type="button" data-testid="preview-reload" title="Reload" onClick={() => setGeneration((g) => g + 1)}>
          ⟳
        </button>
        <input
          data-testid="preview-url"
          aria-label="Preview URL"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && go(draft)}
          style={{ flex: 1, fontFamily: 'monospace' }}
        />
        {mode?.kind === 'same-origin' && (
          <label title="Run the page's scripts. On this origin they can then reach the app (its DOM and storage)." style={{ whiteSpace: 'nowrap' }}>
            <input type="checkbox" data-testid="preview-allow-scripts" checked={scripts} onChange={(e) => setScripts(e.target.checked)} /> Allow scripts
          </label>
        )}
        <a data-testid="preview-open-tab" href={url} target="_blank" rel="noopener" title="Open in a new tab">
          ↗
        </a>
        <button type="button" data-testid="preview-close" title="Close" onClick={() => setHistory([])}>
          ×
        </button>
      </header>
      {scripts && mode?.kind === 'same-origin' && (
        <div data-testid="preview-scripts-warning" role="alert" style={{ background: '#fff3cd', padding: '2px 6px', fontSize: 12 }}>
          Scripts are on: this page runs on the app's origin and can reach the app, its cluster and its storage. Allow scripts only for pages you trust.
        </div>
      )}
      {second ? (
        <iframe key={generation} data-testid="preview-frame" data-url={url} data-mode="second-origin" title="Preview" src={previewFrameUrl(second, url)} sandbox={PREVIEW_SCRIPT_SANDBOX} style={frameStyle} />
      ) : mode && acked === frameKey ? (
        <iframe key={frameKey} data-testid="preview-frame" data-url={url} data-mode="same-origin" title="Preview" src={url} sandbox={scripts ? PREVIEW_SCRIPT_SANDBOX : PREVIEW_SANDBOX} style={frameStyle} />
      ) : null}
    </section>
  );
}

const frameStyle = { flex: 1, border: 0, background: '#fff', minHeight: 280 } as const;

import { useEffect, useState } from 'react';
import { PREVIEW_EVENT } from '../sw/port-forward-host';

/**
 * The iframe's sandbox: no scripts, same origin (so the Service Worker controls the page and keeps its
 * subresources in scope; Chromium sends an opaque-origin frame's requests past it). The Service Worker sends the
 * same policy as `Content-Security-Policy: sandbox …` for pages opened in a tab.
 */
export const PREVIEW_SANDBOX = 'allow-same-origin allow-forms allow-popups allow-downloads';

/**
 * The preview pane: an iframe on a /_/ URL (a Service, NodePort, Ingress, pod or port-forward served by the
 * Service Worker) with an address bar: back, reload, the URL (Enter navigates), open in a new tab, close.
 * Hidden until a PREVIEW_EVENT ({ url }) arrives on window (open links, kubectl port-forward). The pane keeps
 * its own history of the URLs it was sent to: the framed page is cross-origin (opaque), so its own
 * navigations cannot be read.
 */
export function PreviewPane() {
  const [history, setHistory] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const [generation, setGeneration] = useState(0);
  const url = history[history.length - 1];

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
        <a data-testid="preview-open-tab" href={url} target="_blank" rel="noopener" title="Open in a new tab">
          ↗
        </a>
        <button type="button" data-testid="preview-close" title="Close" onClick={() => setHistory([])}>
          ×
        </button>
      </header>
      <iframe key={generation} data-testid="preview-frame" title="Preview" src={url} sandbox={PREVIEW_SANDBOX} style={{ flex: 1, border: 0, background: '#fff', minHeight: 280 }} />
    </section>
  );
}

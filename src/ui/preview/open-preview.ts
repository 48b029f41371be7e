import { PREVIEW_EVENT } from '../sw/port-forward-host';

/** Opens `url` (a /_/ URL) in the page's preview pane (PreviewPane listens on window). */
export function openPreview(url: string): void {
  window.dispatchEvent(new CustomEvent(PREVIEW_EVENT, { detail: { url } }));
}

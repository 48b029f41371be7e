import type { ForwardedConn, PortForwardHost } from '../../kubectl/kubectl-io';

/** What a /_/portforward/<id>/ request reaches: the forward's connection handler and where it goes. */
export interface TabForward {
  onConnection(conn: ForwardedConn): void;
  target: { namespace: string; pod: string; remotePort: number };
}

/** Event the page dispatches to open a URL in the preview pane (src/ui/preview). */
export const PREVIEW_EVENT = 'tabernetes:preview';

/** `/_/portforward/<id>/`: the URL the Service Worker serves for a forward. */
export const portForwardUrl = (id: number): string => `/_/portforward/${id}/`;

/**
 * kubectl port-forward's listener in the tab: a "local port" is a forward id in this registry, served by the
 * Service Worker at /_/portforward/<id>/ (proxy-host.ts looks forwards up here). Listening on an id that
 * another forward holds rejects with Go's "bind: address already in use" text; the same forward listening
 * on a second address (127.0.0.1 and ::1) shares the id. Port 0 picks the lowest free id from 30000.
 * The first listener of a forward opens the preview pane on its URL (PREVIEW_EVENT on `events`).
 */
export class TabPortForwards implements PortForwardHost {
  private readonly forwards = new Map<number, TabForward & { refs: number }>();

  constructor(private readonly events?: EventTarget) {}

  get(id: number): TabForward | undefined {
    return this.forwards.get(id);
  }

  async listen(address: string, port: number, onConnection: (conn: ForwardedConn) => void, target: TabForward['target']) {
    let id = port;
    if (id === 0) for (id = 30000; this.forwards.has(id) && this.forwards.get(id)!.onConnection !== onConnection; id++);
    const held = this.forwards.get(id);
    const family = address.includes(':') ? 'tcp6' : 'tcp4';
    const hostPort = address.includes(':') ? `[${address}]:${id}` : `${address}:${id}`;
    if (held && held.onConnection !== onConnection) throw new Error(`listen ${family} ${hostPort}: bind: address already in use`);
    if (held) held.refs++;
    else {
      this.forwards.set(id, { onConnection, target, refs: 1 });
      this.events?.dispatchEvent(new CustomEvent(PREVIEW_EVENT, { detail: { url: portForwardUrl(id) } }));
    }
    let disposed = false;
    return {
      port: id,
      dispose: () => {
        if (disposed) return;
        disposed = true;
        const f = this.forwards.get(id);
        if (f && --f.refs === 0) this.forwards.delete(id);
      },
    };
  }
}

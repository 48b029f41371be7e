import type { ApiClient } from '../client/api-client';
import type { Clock } from '../api/clock';

/** One entry of a local folder (KubectlIO.listDir). */
export interface LocalDirEntry {
  name: string;
  dir: boolean;
}

/**
 * Everything kubectl touches outside itself. Output is streamed: stdout/stderr may be called many
 * times per command (each call carries complete lines except for the final flush), so a terminal can
 * render as it arrives and long-running modes (-w, -f) can print until `signal` aborts.
 */
export interface KubectlIO {
  client: ApiClient;
  clock: Clock;
  /** Content of standard input (used by `-f -`). */
  stdin?: string;
  /** Binary standard input for `exec -i` (kubectl cp's tar stream): when set, sent as it is instead of stdin. */
  stdinBytes?: Uint8Array;
  stdout(text: string): void;
  /** Binary stdout for exec (kubectl cp's tar stream): when set, the stream's stdout bytes go here, not to stdout. */
  stdoutBytes?(data: Uint8Array): void;
  stderr(text: string): void;
  /** Output goes to a terminal (kubectl colours cluster-info only then). */
  tty?: boolean;
  /** The API server URL cluster-info and config show; "https://127.0.0.1:6443" when absent. */
  server?: string;
  /** The current context's namespace; "default" when absent. */
  namespace?: string;
  /**
   * Persists `kubectl config set-context --current --namespace=x` for the following commands (the
   * terminal's session). Absent: set-context reports the change but nothing keeps it.
   */
  setNamespace?(namespace: string): void;
  /** Reads a named file for `-f NAME`; undefined (or absent) means the file does not exist. */
  readFile?(name: string): string | undefined | Promise<string | undefined>;
  /**
   * Lists a folder for `-f DIR` (with -R, its sub-folders) and `kubectl cp` from a local folder: the entries'
   * names, `dir` set on sub-folders. undefined (or absent) means name is not a folder.
   */
  listDir?(name: string): LocalDirEntry[] | undefined | Promise<LocalDirEntry[] | undefined>;
  /** A local file's bytes (kubectl cp to a pod); undefined when it does not exist. */
  readFileBytes?(name: string): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /**
   * Writes a local file (kubectl cp from a pod), creating missing parent folders; `mkdir` creates a folder.
   * Both throw an Error whose message is the reason (e.g. "Not a directory"). Absent: cp from a pod fails.
   */
  writeFile?(name: string, data: Uint8Array): void | Promise<void>;
  mkdir?(name: string): void | Promise<void>;
  /**
   * GETs `-f http(s)://…`: resolves with the response, rejects with the transport error's text (kubectl
   * prints `error: Get "URL": <text>`). Absent: every URL is unreachable.
   */
  fetchUrl?(url: string): Promise<{ status: number; statusText: string; body: string }>;
  /**
   * Live keyboard input for `exec -i` (a terminal): onData delivers raw keystrokes (with -t, Ctrl-C is the
   * byte \x03, not a cancellation) until the returned Disposable is disposed; `size` and onResize report the
   * terminal size for -t. Absent: `stdin` (the whole text, then EOF) is used.
   */
  stdinStream?: {
    onData(cb: (data: string) => void): { dispose(): void };
    size?(): { width: number; height: number };
    onResize?(cb: (size: { width: number; height: number }) => void): { dispose(): void };
  };
  /**
   * `kubectl edit`'s editor: shows text (YAML with kubectl's header comment) and resolves with the saved
   * text, or undefined when the user closes it without saving. Absent: edit fails with kubectl's
   * "no editor" error.
   */
  edit?(text: string): Promise<string | undefined>;
  /**
   * Where `kubectl port-forward` accepts local connections: a real TCP listener in Node (src/node), a forward
   * id that the page's Service Worker serves at /_/portforward/<id>/ in the tab (src/ui/sw). Absent:
   * port-forward fails with "error: port-forward needs a host that can listen".
   */
  portForward?: PortForwardHost;
  /**
   * Where `kubectl proxy` serves the API: a real local HTTP listener in Node (src/node). Absent (the tab): proxy
   * fails with a message pointing to port-forward and the preview pane.
   */
  apiProxy?: ApiProxyHost;
  /** Cancellation for streaming commands (Ctrl-C in the terminal). */
  signal?: { aborted: boolean; onabort?: () => void };
}

/** One accepted local connection for port-forward: a byte stream (read() null = EOF). */
export interface ForwardedConn {
  read(): Promise<Uint8Array | null>;
  /** Rejects when the local side is gone. */
  write(data: Uint8Array): Promise<void>;
  /** Half-close: the local side reads EOF after what was written. */
  closeWrite(): void;
  close(): void;
  /** Resolves once the local side has fully gone (nothing more will be read): the forward then ends its stream. */
  readonly gone?: Promise<void>;
}

export interface PortForwardListener {
  /** The bound local port (the one picked when 0 was asked for). */
  readonly port: number;
  /** Stops accepting; open connections are closed by their owner. */
  dispose(): void;
}

export interface PortForwardHost {
  /**
   * Listens on address:port (port 0: a free one; address an IP such as 127.0.0.1, ::1 or 0.0.0.0) and hands
   * each accepted connection to onConnection. Rejects with an Error whose message is Go's listen error
   * (`listen tcp4 127.0.0.1:8080: bind: address already in use`). `target` says where the connections go,
   * for hosts that show it (the tab's preview pane).
   */
  listen(address: string, port: number, onConnection: (conn: ForwardedConn) => void, target: { namespace: string; pod: string; remotePort: number }): Promise<PortForwardListener>;
}

/** One HTTP request as `kubectl proxy`'s filter sees it. */
export interface ProxyRequestInfo {
  method: string;
  /** The request path without the query, after api-prefix stripping (always starting with "/"). */
  path: string;
  /** The Host header's host name (without the port). */
  host: string;
}

export interface ApiProxyHost {
  /**
   * Serves the API on address:port (0: a free one): each request whose path starts with apiPrefix and that
   * `allow` accepts is forwarded with the prefix removed (as the API server's user), streaming the response;
   * a refused one gets 403 "Forbidden\n". Resolves with the bound port; rejects with Go's listen error text.
   */
  listen(address: string, port: number, apiPrefix: string, allow: (req: ProxyRequestInfo) => boolean): Promise<PortForwardListener>;
}

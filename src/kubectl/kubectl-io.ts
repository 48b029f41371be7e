import type { ApiClient } from '../client/api-client';
import type { Clock } from '../api/clock';

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
  stdout(text: string): void;
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
  /** Cancellation for streaming commands (Ctrl-C in the terminal). */
  signal?: { aborted: boolean; onabort?: () => void };
}

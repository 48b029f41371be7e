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
  /** The current context's namespace; "default" when absent. */
  namespace?: string;
  /** Reads a named file for `-f NAME`; undefined (or absent) means the file does not exist. */
  readFile?(name: string): string | undefined | Promise<string | undefined>;
  /** Cancellation for streaming commands (Ctrl-C in the terminal). */
  signal?: { aborted: boolean; onabort?: () => void };
}

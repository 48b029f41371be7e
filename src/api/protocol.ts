/**
 * The wire between every API client and the apiserver, in the tab (over Comlink) and in Node.
 * It is REST-shaped so that the Node HTTP server maps it 1:1 onto real HTTP.
 *
 * Contracts:
 * - request() never rejects for an API error: it resolves with the HTTP status and a metav1.Status body.
 *   It rejects only when the transport itself fails (worker gone).
 * - Streams (watch, logs with follow=true, later exec) are pulled: stream() opens one and answers like
 *   request() (an error Status, or 200 with a streamId); read(streamId) resolves with the next non-empty
 *   batch of chunks, in order, none lost or repeated, or null once the stream has ended; cancel() ends it
 *   and makes a pending read() resolve null. A slow reader applies backpressure to nothing but itself.
 * - Watch chunks are WatchEvent objects; log chunks are strings. A watch opened with watchEventsAsJson may
 *   also deliver events as their JSON text (a string chunk to JSON.parse), mixed with object chunks.
 */
import type { StatsSummary } from './stats-summary';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface UserInfo {
  username: string;
  uid?: string;
  groups?: string[];
  /** user.Info extra (authentication/v1 UserInfo.extra), when the authenticator supplies it. */
  extra?: Record<string, string[]>;
}

export interface ApiRequest {
  method: HttpMethod;
  /** Absolute API path without query, e.g. /api/v1/namespaces/default/pods/web/status */
  path: string;
  /** Decoded query parameters (labelSelector, fieldSelector, watch, resourceVersion, limit, continue, dryRun, …). */
  query?: Record<string, string>;
  /** Decoded request body (a JSON value); for apply-patch+yaml the YAML text. */
  body?: unknown;
  /** For PATCH: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json or application/apply-patch+yaml. */
  contentType?: string;
  /** e.g. 'application/json;as=Table;v=v1;g=meta.k8s.io' for server-side printing. */
  accept?: string;
  /** Set by the authenticating layer; in-tab clients act as kubernetes-admin. */
  user?: UserInfo;
  /** A bearer token (HTTP Authorization: Bearer); when present the apiserver authenticates it and ignores `user` (unknown token: 401). */
  bearerToken?: string;
  /** Impersonate-User/-Group/-Uid: the apiserver checks the impersonate verb for `user` and then acts as this identity. */
  impersonate?: { user: string; groups?: string[]; uid?: string };
  userAgent?: string;
  /**
   * Watch streams only: the client also accepts each event as the JSON text of its WatchEvent (a string chunk
   * it parses), so a server whose chunks are cloned for every client (postMessage) can encode an event once
   * for all its watchers instead of cloning the object per watcher. Servers may ignore it.
   */
  watchEventsAsJson?: boolean;
}

export interface ApiResponse {
  status: number;
  /** A Kubernetes object, list, Table or Status; a string for text responses such as logs; a Uint8Array for raw bytes (the pods/services proxy subresources). */
  body: unknown;
  headers?: Record<string, string>;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T = unknown> {
  type: WatchEventType;
  object: T;
}

export interface StreamOpen extends ApiResponse {
  /** Present when status is 200: the handle for read() and cancel(). */
  streamId?: string;
}

export interface ApiHandler {
  request(req: ApiRequest): Promise<ApiResponse>;
  stream(req: ApiRequest): Promise<StreamOpen>;
  read(streamId: string): Promise<unknown[] | null>;
  cancel(streamId: string): Promise<void>;
  /**
   * Input for a bidirectional stream (pods/exec): stdin bytes, a terminal resize, or the end of stdin.
   * Resolves once delivered; input for an unknown or ended stream is dropped. Optional: only servers
   * that serve exec implement it.
   */
  write?(streamId: string, input: ExecInput): Promise<void>;
}

/**
 * What a client sends on an exec stream, numbered like v5.channel.k8s.io: 0 stdin, 4 resize, 255 close stdin.
 * A pods/portforward stream takes 'bytes' (raw bytes for the pod's port) and 255 (close the write side).
 * Stdin with `bytes` is binary: the bytes are written as they are and `data` (their lossy text) is ignored.
 */
export type ExecInput = { channel: 0; data: string; bytes?: Uint8Array } | { channel: 4; width: number; height: number } | { channel: 255 } | { channel: 'bytes'; data: Uint8Array };

/** The kubelet's API as the apiserver reaches it (pods/log today; exec, attach and port-forward later). */
export interface KubeletApi {
  /**
   * Returns the container's log as kubectl logs prints it. Rejects with an Error whose message is the
   * text kube-apiserver would put in the Status (e.g. 'container "x" in pod "y" is waiting to start: ContainerCreating').
   */
  containerLogs(namespace: string, pod: string, container: string, opts: LogOptions): Promise<string>;
  /**
   * Starts `command` in a running container (pods/exec); resolves with a stream id for the exec* calls.
   * Rejects with an Error whose message kube-apiserver puts in the Status (e.g. 'container not found ("c")').
   * Optional: a kubelet without a runtime that can exec omits it.
   */
  execOpen?(namespace: string, pod: string, container: string, opts: ExecOptions): Promise<string>;
  /**
   * Attaches to a running container's main process (pods/attach; CRI Attach); the stream is read and written
   * with the exec* calls below and ends with a channel-3 Success Status when the container exits (execCancel
   * detaches, the container keeps running). Rejects like execOpen. Optional.
   */
  attachOpen?(namespace: string, pod: string, container: string, opts: AttachOptions): Promise<string>;
  /** The next non-empty batch of chunks in order; null after the final Status chunk (channel 3) was read. */
  execRead?(streamId: string): Promise<ExecStreamChunk[] | null>;
  /** Bytes for the process's stdin (UTF-8 text; a TTY's keystrokes). */
  execWrite?(streamId: string, data: string | Uint8Array): Promise<void>;
  /** End of stdin (EOF). */
  execCloseStdin?(streamId: string): Promise<void>;
  execResize?(streamId: string, size: { width: number; height: number }): Promise<void>;
  /** Kills the process if it still runs and ends the stream. */
  execCancel?(streamId: string): Promise<void>;
  /** The node's stats summary (kubelet /stats/summary): measured CPU and memory per running container. Optional. */
  statsSummary?(): Promise<StatsSummary>;
}

export interface AttachOptions {
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  tty?: boolean;
}

export interface ExecOptions {
  command: string[];
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  tty?: boolean;
}

/**
 * One chunk of an exec stream, as the v4.channel.k8s.io protocol frames it: channel 1 stdout, 2 stderr (with a
 * TTY everything is on 1), and once at the end channel 3, the metav1.Status: {status: 'Success'}, or
 * {status: 'Failure', reason: 'NonZeroExitCode', details: {causes: [{reason: 'ExitCode', message: '<code>'}]}}.
 * `bytes`, when a producer has them (the kubelet's exec/attach), are the raw bytes the chunk adds (empty on a
 * chunk that only flushes the text decoder); `data` is their UTF-8 text. Binary consumers (kubectl cp) use
 * bytes when present.
 */
export type ExecStreamChunk = { channel: 1 | 2; data: string; bytes?: Uint8Array } | { channel: 3; status: Record<string, unknown> };

export interface LogOptions {
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

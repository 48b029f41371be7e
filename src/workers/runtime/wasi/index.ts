/**
 * src/workers/runtime/wasi: a wasi_snapshot_preview1 host for one process (core: WebAssembly, TextEncoder only).
 * - WasiHost: the import object, fd table (0-2 stdio, 3 = preopened "/"), run(module) → exit code;
 *   its options, result and exit codes in wasi-host-options.ts.
 *   Its calls: wasi-fd-calls, wasi-path-calls, wasi-process-env-calls (args, environ, clocks, poll_oneoff…).
 * - MemFs / RootfsSnapshot: the in-memory filesystem (image layers below, a writable copy on top);
 *   MemFs.mount grafts a volume's RemoteInode tree (../volume-fs.ts) at a path; a MemFs may also have a
 *   RemoteInode root (a container's shared layer served from the runtime, ../container-layer.ts).
 * - rootfsFromLayers: unpacks OCI tar layers (with whiteouts) into a RootfsSnapshot.
 * - Sockets (docs/sockets.md): socket fds (guest-socket.ts), the preview1 sock_* calls and the
 *   `tabernetes_sock` module (socket I/O and sock_* in wasi-socket-calls.ts, tabernetes_sock in
 *   tabernetes-sock-calls.ts; UDP datagrams in wasi-udp-calls.ts), poll over sockets (poll-sockets.ts, sharing
 *   poll_oneoff's subscription/event formats with poll-oneoff.ts in poll-subscriptions.ts); WasiHostOptions.net.
 * Blocking seams: WasiHostOptions.sleep (poll_oneoff clocks) and WasiHostOptions.stdin (fd_read on fd 0).
 */
export { WasiHost } from './wasi-host';
export { TRAP_EXIT_CODE, type WasiHostOptions, type WasiRunResult } from './wasi-host-options';
export { MemFs, emptyRootfs, type FsNode, type FsFile, type FsDir, type FsSymlink, type RootfsSnapshot } from './mem-fs';
export { rootfsFromLayers } from './rootfs-from-layers';
export { ProcExit, ProcKilled, WasiError, Errno } from './wasi-constants';
export { GuestSocket, type WasiNet } from './guest-socket';
export { SockErrno } from './wasi-socket-calls';

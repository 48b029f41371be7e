/** wasi_snapshot_preview1 numbers (witx: typenames.witx). */
export const Errno = {
  SUCCESS: 0,
  TOOBIG: 1,
  ACCES: 2,
  AGAIN: 6,
  BADF: 8,
  EXIST: 20,
  FAULT: 21,
  INTR: 27,
  INVAL: 28,
  IO: 29,
  ISDIR: 31,
  LOOP: 32,
  NAMETOOLONG: 37,
  NOENT: 44,
  NOSYS: 52,
  NOTDIR: 54,
  NOTEMPTY: 55,
  NOTSUP: 58,
  NOTTY: 59,
  PERM: 63,
  PIPE: 64,
  SPIPE: 70,
  XDEV: 75,
  NOTCAPABLE: 76,
} as const;

export const FileType = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;

export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const FdFlags = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const LookupFlags = { SYMLINK_FOLLOW: 1 } as const;
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;
export const ClockId = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME: 2, THREAD_CPUTIME: 3 } as const;
export const EventType = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;
export const SUBCLOCK_ABSTIME = 1;
export const FstFlags = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;
/** Every right defined by preview1 (bits 0..28). */
export const RIGHTS_ALL = (1n << 29n) - 1n;

/** Thrown by host functions to return an errno to the guest. */
export class WasiError extends Error {
  constructor(readonly errno: number) {
    super(`wasi errno ${errno}`);
  }
}

/** Thrown by proc_exit; the runner catches it and reports `code` as the process exit code. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'ProcExit';
  }
}

/** Thrown into the guest when the host kills it (checked at every host call). */
export class ProcKilled extends Error {
  constructor(
    readonly code: number,
    readonly reason?: string,
  ) {
    super(reason ?? `killed (${code})`);
    this.name = 'ProcKilled';
  }
}

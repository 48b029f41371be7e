/*
 * tabernetes.h: Tabernetes' extensions to WASI preview1 for image authors (C, wasm32-wasip1).
 * Include it in exactly the files that use it; everything here is header-only.
 *
 * Signals (docs/images.md, "Signals"):
 *   The host delivers a signal (stopContainer sends SIGTERM, then SIGKILL = the Worker is terminated after
 *   terminationGracePeriodSeconds) at the program's next WASI call: a blocking read or sleep returns early.
 *   - signal(SIGTERM, handler): the host calls handler(SIGTERM) from inside that call, on the program's own
 *     stack, like an asynchronous signal handler (only async-signal-safe work: set a flag).
 *   - tabernetes_signal_pending(): the poll form, for programs without handlers; returns the pending
 *     signals as a bit set (bit n = signal n) and clears them. Used only when no handler is installed.
 *   With neither, a container's main process ignores SIGTERM (it is pid 1) and is killed after the grace period.
 */
#ifndef TABERNETES_H
#define TABERNETES_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SIGINT
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGKILL 9
#define SIGUSR1 10
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
/* Not 1: a wasm function pointer is a table index, and index 1 is a real function. */
#define SIG_IGN ((sighandler_t)-2)
#define SIG_ERR ((sighandler_t)-1)
#endif

__attribute__((import_module("tabernetes"), import_name("signal_pending")))
unsigned int __tabernetes_signal_pending(void);

/*
 * Per-program signal state: the handler table and the signals delivered while no handler was installed
 * (for tabernetes_signal_pending). A weak function keeps one copy however many files include this header.
 */
struct __tabernetes_signals { sighandler_t handlers[32]; volatile unsigned int unhandled; };
__attribute__((weak, noinline)) struct __tabernetes_signals *__tabernetes_signal_state(void) {
  static struct __tabernetes_signals state;
  return &state;
}

static inline unsigned int tabernetes_signal_pending(void) {
  struct __tabernetes_signals *st = __tabernetes_signal_state();
  unsigned int bits = st->unhandled | __tabernetes_signal_pending();
  st->unhandled = 0;
  return bits;
}

/* Called by the host for each delivered signal. SIG_IGN drops it; SIG_DFL keeps it for the poll form. */
__attribute__((weak, export_name("tabernetes_signal_handler")))
void __tabernetes_signal_handler(int sig) {
  if (sig > 0 && sig < 32) {
    struct __tabernetes_signals *st = __tabernetes_signal_state();
    sighandler_t h = st->handlers[sig];
    if (h == SIG_DFL) st->unhandled |= 1u << sig;
    else if (h != SIG_IGN) h(sig);
  }
}

static inline sighandler_t tabernetes_signal(int sig, sighandler_t handler) {
  if (sig <= 0 || sig >= 32 || sig == SIGKILL) return SIG_ERR;
  sighandler_t *slot = &__tabernetes_signal_state()->handlers[sig];
  sighandler_t old = *slot;
  *slot = handler;
  return old;
}
#define signal(sig, handler) tabernetes_signal((sig), (handler))

/*
 * Processes (docs/images.md, "Processes"): a child is a new instance of a WASI program from the container's
 * filesystem, with its own argv, env, pid and exit code; its fds 0-2 are the parent's fds given to spawn
 * (pipes, files or the parent's own stdio). Children run when waited for (or when a pipe needs them), on the
 * container's one thread: see the pipeline notes in docs/images.md.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <sys/types.h>

__attribute__((import_module("tabernetes_process"), import_name("spawn")))
int __tabernetes_spawn(const char *argv, size_t argv_len, const char *env, size_t env_len, int fd_in, int fd_out, int fd_err, int *pid);
__attribute__((import_module("tabernetes_process"), import_name("waitpid")))
int __tabernetes_waitpid(int pid, int *code);
__attribute__((import_module("tabernetes_process"), import_name("pipe")))
int __tabernetes_pipe(int fds[2]);

extern char **environ;

/* Packs a NULL-terminated string array as NUL-separated bytes; returns a malloc'd block (free it). */
static inline char *__tabernetes_pack(char *const list[], size_t *len) {
  size_t n = 0;
  for (size_t i = 0; list && list[i]; i++) n += strlen(list[i]) + 1;
  char *buf = (char *)malloc(n ? n : 1), *p = buf;
  for (size_t i = 0; list && list[i]; i++) {
    size_t l = strlen(list[i]) + 1;
    memcpy(p, list[i], l);
    p += l;
  }
  *len = n;
  return buf;
}

/*
 * posix_spawnp-like: starts argv[0] (searched in PATH unless it has a '/') with envp (NULL: environ) and
 * fds[0..2] as its stdin, stdout and stderr. Returns 0 and sets *pid, or an errno value (ENOENT: no such
 * program; ENOEXEC: not a WASI command; EBADF: a bad fd).
 */
static inline int tabernetes_spawn(pid_t *pid, char *const argv[], char *const envp[], const int fds[3]) {
  size_t alen, elen;
  char *a = __tabernetes_pack(argv, &alen), *e = __tabernetes_pack(envp ? envp : environ, &elen);
  int child = 0;
  int err = __tabernetes_spawn(a, alen, e, elen, fds[0], fds[1], fds[2], &child);
  free(a);
  free(e);
  if (!err) *pid = child;
  return err;
}

#ifndef WEXITSTATUS
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFEXITED(s) (((s) & 0x7f) == 0)
#define WIFSIGNALED(s) (0)
#define WTERMSIG(s) (0)
#endif

/* waitpid for a child of tabernetes_spawn: runs it to completion; *status as POSIX encodes an exit. */
static inline pid_t tabernetes_waitpid(pid_t pid, int *status, int options) {
  (void)options;
  int code = 0;
  int err = __tabernetes_waitpid(pid, &code);
  if (err) {
    errno = err;
    return -1;
  }
  if (status) *status = (code & 0xff) << 8;
  return pid;
}
#define waitpid(pid, status, options) tabernetes_waitpid((pid), (status), (options))

/* pipe(2): fds[0] reads what fds[1] writes; in-memory, between the processes of one container. */
static inline int tabernetes_pipe(int fds[2]) {
  int err = __tabernetes_pipe(fds);
  if (err) {
    errno = err;
    return -1;
  }
  return 0;
}
#define pipe(fds) tabernetes_pipe(fds)

#ifdef __cplusplus
}
#endif
#endif /* TABERNETES_H */

// Test program for the runtime features: argv[1] selects the mode.
//   cat      copies stdin to stdout, then prints "bytes=N" on stderr
//   sigterm  installs a SIGTERM handler, sleeps in 10 ms steps until it runs, prints "got SIGTERM 15"
//   poll     like sigterm but with tabernetes_signal_pending()
//   oom      allocates 1 MiB blocks until malloc fails, then abort()s
//   spin     while(1) without host calls
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include "tabernetes.h"

static volatile int got;
static char *volatile last; /* keeps allocations observable so the compiler cannot drop them */
static void on_term(int sig) { got = sig; }

static void nap(void) {
  struct timespec ts = {0, 10 * 1000 * 1000};
  nanosleep(&ts, 0);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "cat")) {
    char buf[256];
    long total = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
      fwrite(buf, 1, n, stdout);
      fflush(stdout);
      total += n;
    }
    fprintf(stderr, "bytes=%ld\n", total);
    return 0;
  }
  if (!strcmp(mode, "sigterm")) {
    signal(SIGTERM, on_term);
    printf("ready\n");
    fflush(stdout);
    for (int i = 0; i < 100000 && !got; i++) nap();
    printf("got SIGTERM %d\n", got);
    return 0;
  }
  if (!strcmp(mode, "poll")) {
    unsigned int bits = 0;
    for (int i = 0; i < 100000 && !bits; i++) {
      nap();
      bits = tabernetes_signal_pending();
    }
    printf("pending %u\n", bits);
    return 3;
  }
  if (!strcmp(mode, "oom")) {
    for (long i = 0;; i++) {
      char *p = malloc(1 << 20);
      if (!p) {
        fprintf(stderr, "out of memory after %ld MiB\n", i);
        abort();
      }
      memset(p, 1, 1 << 20);
      *(char **)p = last;
      last = p;
    }
  }
  if (!strcmp(mode, "spin")) {
    volatile unsigned long n = 0;
    for (;;) n++;
  }
  fprintf(stderr, "unknown mode %s\n", mode);
  return 2;
}

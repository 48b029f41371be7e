// Test program for tabernetes_process: argv[1] selects the mode (run as a child of itself in pipelines).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tabernetes.h"

static int run_pipeline(char *self, const char *producer, const char *consumer) {
  int p[2];
  if (pipe(p) != 0) return 90;
  pid_t a, b;
  char *pa[] = {self, (char *)producer, 0};
  char *pb[] = {self, (char *)consumer, 0};
  int fa[3] = {0, p[1], 2}, fb[3] = {p[0], 1, 2};
  if (tabernetes_spawn(&a, pa, 0, fa) || tabernetes_spawn(&b, pb, 0, fb)) return 91;
  close(p[0]);
  close(p[1]);
  int sa = -1, sb = -1;
  waitpid(a, &sa, 0);
  waitpid(b, &sb, 0);
  printf("%s=%d %s=%d\n", producer, WEXITSTATUS(sa), consumer, WEXITSTATUS(sb));
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "gen")) {
    for (int i = 1; i <= 3; i++) printf("line %d\n", i);
    return 4;
  }
  if (!strcmp(mode, "count")) {
    char buf[64];
    long n = 0, r;
    while ((r = read(0, buf, sizeof buf)) > 0) n += r;
    printf("bytes=%ld\n", n);
    return 7;
  }
  if (!strcmp(mode, "yes")) {
    for (;;)
      if (write(1, "y\n", 2) != 2) return 1;
  }
  if (!strcmp(mode, "head1")) {
    char c;
    while (read(0, &c, 1) == 1) {
      putchar(c);
      if (c == '\n') return 0;
    }
    return 2;
  }
  if (!strcmp(mode, "pipeline")) return run_pipeline(argv[0], "gen", "count");
  if (!strcmp(mode, "yes-head")) return run_pipeline(argv[0], "yes", "head1");
  if (!strcmp(mode, "missing")) {
    pid_t pid;
    char *args[] = {"no-such-program", 0};
    int fds[3] = {0, 1, 2};
    printf("spawn=%d\n", tabernetes_spawn(&pid, args, 0, fds) == ENOENT ? -1 : 0);
    return 0;
  }
  fprintf(stderr, "unknown mode %s\n", mode);
  return 2;
}

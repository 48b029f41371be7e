// pause: the infrastructure container. Sleeps until SIGINT or SIGTERM, then exits 0, as
// registry.k8s.io/pause does; `pause -v` prints its version. (Tabernetes' WASI build.)
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "tabernetes.h"

#define VERSION "3.10"

static volatile int stop;

static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcasecmp(argv[i], "-v") == 0) {
      printf("pause.c v%s\n", VERSION);
      return 0;
    }
  }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  // A signal ends a blocking sleep early (tabernetes.h), so the loop notices it at once.
  while (!stop) sleep(3600);
  fprintf(stderr, "Shutting down, got signal\n");
  return 0;
}

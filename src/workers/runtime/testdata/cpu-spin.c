// CPU-bound probes for limit-module-cpu: no host calls while they compute.
//   cpu-spin loop N   sums sqrt over N iterations of a loop
//   cpu-spin fib N    naive recursive fib (calls, no loops)
//   cpu-spin forever  spins with no host calls at all until killed
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "forever")) {
    volatile unsigned long x = 0;
    for (;;) x++;
  }
  if (argc < 3) return 2;
  long n = atol(argv[2]);
  if (!strcmp(argv[1], "fib")) {
    printf("fib %d\n", fib((int)n));
    return 0;
  }
  double s = 0;
  for (long i = 0; i < n; i++) s += sqrt((double)(i & 1023));
  printf("sum %.0f\n", s);
  return 0;
}

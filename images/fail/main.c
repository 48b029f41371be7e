// fail: prints its arguments to stderr and exits with the code given as the first argument (default 3).
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int code = argc > 1 ? atoi(argv[1]) : 3;
  printf("fail: about to exit with code %d\n", code);
  fflush(stdout);
  fprintf(stderr, "fail: something went wrong (exit %d)\n", code);
  return code;
}

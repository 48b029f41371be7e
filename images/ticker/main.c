// ticker: a long-running container. Prints "tick <n> <UTC time>" every <interval> seconds (argv[1], default 1),
// <count> times (argv[2]; default 0 = forever), then exits 0.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  double interval = argc > 1 ? atof(argv[1]) : 1.0;
  long count = argc > 2 ? atol(argv[2]) : 0;
  if (interval <= 0) interval = 1.0;
  for (long n = 1; count == 0 || n <= count; n++) {
    time_t now = time(NULL);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    printf("tick %ld %s\n", n, buf);
    fflush(stdout);
    if (count == 0 || n < count) usleep((useconds_t)(interval * 1e6));
  }
  return 0;
}

// stress: a load generator like stress 1.0.4 (the polinux/stress image), for `kubectl top` and HPA demos.
//   stress [--cpu N] [--vm N] [--vm-bytes B] [--vm-hang S] [--vm-keep] [--io N] [--hdd N] [--timeout T] [-q] [-v]
// A WASI process has one thread, so the hogs take turns in it: all cpu hogs together use at most one core.
// cpu hogs spin on sqrt(rand()); vm hogs keep --vm-bytes (default 256M) each allocated and dirty it page by
// page (sleeping --vm-hang seconds between passes when no cpu hog runs); io/hdd hogs are accepted and idle.
// A failed allocation (resources.limits.memory) ends the run as stress does: FAIL lines, exit 1.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int quiet, verbose;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// "10", "10s", "2m", "1h", "1d", "1y": seconds, as stress parses --timeout and --vm-hang.
static long parse_time(const char *s) {
  char *end;
  long v = strtol(s, &end, 10);
  switch (*end) {
    case 'm': return v * 60;
    case 'h': return v * 3600;
    case 'd': return v * 86400;
    case 'y': return v * 31536000;
    default: return v;
  }
}

// "100M", "1G", "128K", "512B", "4096": bytes (powers of 1024, as stress does).
static long long parse_bytes(const char *s) {
  char *end;
  long long v = strtoll(s, &end, 10);
  switch (*end) {
    case 'k': case 'K': return v << 10;
    case 'm': case 'M': return v << 20;
    case 'g': case 'G': return v << 30;
    default: return v;
  }
}

static void usage(void) {
  printf("`stress' imposes certain types of compute stress on your system\n\n"
         "Usage: stress [OPTION [ARG]] ...\n"
         " -?, --help         show this help statement\n"
         "     --version      show version statement\n"
         " -v, --verbose      be verbose\n"
         " -q, --quiet        be quiet\n"
         " -n, --dry-run      show what would have been done\n"
         " -t, --timeout N    timeout after N seconds\n"
         "     --backoff N    wait factor of N microseconds before work starts\n"
         " -c, --cpu N        spawn N workers spinning on sqrt()\n"
         " -i, --io N         spawn N workers spinning on sync()\n"
         " -m, --vm N         spawn N workers spinning on malloc()/free()\n"
         "     --vm-bytes B   malloc B bytes per vm worker (default is 256MB)\n"
         "     --vm-stride B  touch a byte every B bytes (default is 4096)\n"
         "     --vm-hang N    sleep N secs before free (default none, 0 is inf)\n"
         "     --vm-keep      redirty memory instead of freeing and reallocating\n"
         " -d, --hdd N        spawn N workers spinning on write()/unlink()\n"
         "     --hdd-bytes B  write B bytes per hdd worker (default is 1GB)\n\n"
         "Example: stress --cpu 8 --io 4 --vm 2 --vm-bytes 128M --timeout 10s\n\n"
         "Note: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).\n");
}

int main(int argc, char **argv) {
  long cpu = 0, vm = 0, io = 0, hdd = 0, timeout = 0, hang = -1, stride = 4096;
  long long vm_bytes = 256LL << 20;
  if (argc < 2) {
    usage();
    return 0;
  }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : "0";
#define OPT(l, s) (strcmp(a, l) == 0 || (s && strcmp(a, s) == 0))
    if (OPT("--help", "-?")) { usage(); return 0; }
    else if (OPT("--version", NULL)) { printf("stress 1.0.4\n"); return 0; }
    else if (OPT("--quiet", "-q")) quiet = 1;
    else if (OPT("--verbose", "-v")) verbose = 1;
    else if (OPT("--dry-run", "-n")) continue;
    else if (OPT("--vm-keep", NULL)) continue;
    else if (OPT("--cpu", "-c")) { cpu = atol(v); i++; }
    else if (OPT("--io", "-i")) { io = atol(v); i++; }
    else if (OPT("--vm", "-m")) { vm = atol(v); i++; }
    else if (OPT("--hdd", "-d")) { hdd = atol(v); i++; }
    else if (OPT("--timeout", "-t")) { timeout = parse_time(v); i++; }
    else if (OPT("--vm-bytes", NULL)) { vm_bytes = parse_bytes(v); i++; }
    else if (OPT("--vm-stride", NULL)) { stride = (long)parse_bytes(v); i++; }
    else if (OPT("--vm-hang", NULL)) { hang = parse_time(v); i++; }
    else if (OPT("--backoff", NULL) || OPT("--hdd-bytes", NULL)) i++;
    else {
      fprintf(stderr, "stress: FAIL: [1] (244) unrecognized option: %s\n", a);
      return 1;
    }
  }
  if (stride < 1) stride = 4096;
  if (!quiet) {
    printf("stress: info: [1] dispatching hogs: %ld cpu, %ld io, %ld vm, %ld hdd\n", cpu, io, vm, hdd);
    fflush(stdout);
  }
  double start = now_s();
  // Each vm hog's bytes in 1 MiB chunks: like pages touched under Linux overcommit, memory grows up to a
  // memory limit before an allocation fails (so the runtime sees the limit reached: OOMKilled).
  const long long chunk = 1 << 20;
  long long nchunks = (vm_bytes + chunk - 1) / chunk;
  char ***mem = vm ? calloc((size_t)vm, sizeof(char **)) : NULL;
  for (long w = 0; w < vm; w++) {
    mem[w] = calloc((size_t)nchunks, sizeof(char *));
    for (long long k = 0; mem[w] && k < nchunks; k++) {
      long long size = k == nchunks - 1 ? vm_bytes - k * chunk : chunk;
      mem[w][k] = malloc((size_t)size);
      if (!mem[w][k]) {
        fprintf(stderr, "stress: FAIL: [%ld] (494) hogvm malloc failed: Cannot allocate memory\n", w + 2);
        fprintf(stderr, "stress: FAIL: [1] (395) <-- worker %ld returned error 1\n", w + 2);
        fprintf(stderr, "stress: WARN: [1] (397) now reaping child worker processes\n");
        fprintf(stderr, "stress: FAIL: [1] (451) failed run completed in %.0fs\n", now_s() - start);
        return 1;
      }
      for (long long off = 0; off < size; off += stride) mem[w][k][off] = 'Z';
    }
    if (verbose) printf("stress: dbug: [%ld] allocating %lld bytes ...\n", w + 2, vm_bytes);
  }
  volatile double sink = 0;
  for (;;) {
    // One clock read per round (a host call, so the runtime also sees the memory in use), as stress's alarm.
    double t = now_s();
    if (timeout > 0 && t - start >= timeout) break;
    for (long w = 0; w < cpu; w++)
      for (int k = 0; k < 200000; k++) sink += sqrt((double)rand());
    for (long w = 0; w < vm; w++)
      for (long long k = 0; k < nchunks; k++)
        for (long long off = 0; off < (k == nchunks - 1 ? vm_bytes - k * chunk : chunk); off += stride) mem[w][k][off] = 'Z';
    if (!cpu && vm && hang > 0) sleep((unsigned)hang);
    else if (!cpu && !vm) sleep(1);
  }
  if (!quiet) printf("stress: info: [1] successful run completed in %.0fs\n", now_s() - start);
  return 0;
}

// netbench: pod-to-pod network measurements for `npm run bench:network` (scripts/bench-network.mjs).
// Every mode prints one JSON line on stdout (times in microseconds from CLOCK_MONOTONIC, MB = 10^6 bytes):
//   netbench sink PORT                   listens on 0.0.0.0:PORT (the default command, port 5001); each connection
//                                        is read to EOF then closed; one that carried bytes prints
//                                        {"mode":"sink","bytes":B,"us":T,"MBps":x} (accept → EOF)
//   netbench connect HOST PORT N         N times: connect, shutdown(SHUT_WR), read to the peer's close, close.
//                                        connect* = the connect() call, cycle* = connect until the peer has
//                                        accepted and closed. Percentiles are per connection when the clock
//                                        ticks in ≤ 20 µs, else per batch of 32 (each batch's mean): "samples" says which
//   netbench stream HOST PORT BYTES      writes BYTES in 64 KiB writes, half-closes, waits for the peer's close
//   netbench http HOST PORT PATH N C     N GETs with Connection: close, C connections at a time; an answer ends
//                                        at its Content-Length (else EOF), then the client closes, as wget does;
//                                        "ok" counts 2xx answers. C = 1 blocks in read, more poll()
// HOST is a name (cluster DNS) or an IPv4 address. Exit 0 on success, 1 when a connection failed, 2 on usage.
// SIGTERM ends `sink` with exit 0.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "tabernetes.h"
#include "tabernetes_socket.h"

#define CHUNK 65536

static volatile int stopping;
static char buf[CHUNK];

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/**
 * The clock's tick: the smallest of 5 gaps between successive changes of now_us() (a descheduled thread
 * sees longer ones); 1000 when it stands still.
 */
static double clock_tick_us(void) {
  double best = 1000;
  for (int k = 0; k < 5; k++) {
    double t0 = now_us(), t1 = t0, t2 = t0;
    for (long i = 0; i < 2000000 && (t1 = now_us()) == t0; i++) {}
    for (long i = 0; i < 2000000 && (t2 = now_us()) == t1; i++) {}
    if (t2 > t1 && t2 - t1 < best) best = t2 - t1;
  }
  return best;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/** Nearest-rank percentile of sorted xs. */
static double pct(const double *xs, int n, double p) {
  if (n <= 0) return 0;
  int k = (int)(p / 100.0 * n + 0.999999) - 1;
  if (k < 0) k = 0;
  if (k >= n) k = n - 1;
  return xs[k];
}

static int resolve_addr(const char *host, const char *port, struct sockaddr_in *out) {
  struct addrinfo hints, *ai;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(host, port, &hints, &ai);
  if (rc) {
    fprintf(stderr, "netbench: %s: %s\n", host, gai_strerror(rc));
    return -1;
  }
  memcpy(out, ai->ai_addr, sizeof *out);
  freeaddrinfo(ai);
  return 0;
}

static int dial(const struct sockaddr_in *addr) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

/** Reads until EOF; returns the bytes read, or -1 on an error. */
static long long drain(int fd) {
  long long total = 0;
  for (;;) {
    ssize_t r = read(fd, buf, sizeof buf);
    if (r == 0) return total;
    if (r < 0) {
      if (errno == EINTR && !stopping) continue;
      return -1;
    }
    total += r;
  }
}

static int sink(int port) {
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 64) < 0) {
    fprintf(stderr, "netbench: listen :%d: %s\n", port, strerror(errno));
    return 1;
  }
  signal(SIGTERM, on_signal);
  printf("{\"mode\":\"sink\",\"listening\":%d}\n", port);
  while (!stopping) {
    int c = accept(lfd, NULL, NULL);
    if (c < 0) continue;
    double t0 = now_us();
    long long n = drain(c);
    double us = now_us() - t0;
    close(c);
    if (n > 0) printf("{\"mode\":\"sink\",\"bytes\":%lld,\"us\":%.0f,\"MBps\":%.1f}\n", n, us, us > 0 ? n / us : 0);
  }
  return 0;
}

/** p50/p99/max of samples (sorted in place) as `"<name>P50Us":…` fields. */
static void print_pcts(const char *name, double *xs, int n) {
  qsort(xs, (size_t)n, sizeof *xs, cmp_double);
  printf(",\"%sP50Us\":%.1f,\"%sP99Us\":%.1f,\"%sMaxUs\":%.1f", name, pct(xs, n, 50), name, pct(xs, n, 99), name, n ? xs[n - 1] : 0);
}

static int connect_bench(const struct sockaddr_in *addr, int n) {
  double tick = clock_tick_us();
  int batch = tick <= 20 ? 1 : 32;
  int groups = (n + batch - 1) / batch;
  double *conn = calloc((size_t)groups, sizeof(double)), *cycle = calloc((size_t)groups, sizeof(double));
  double start = now_us(), connSum = 0;
  for (int g = 0; g < groups; g++) {
    int k = (g + 1) * batch > n ? n - g * batch : batch;
    double connUs = 0, g0 = now_us();
    for (int i = 0; i < k; i++) {
      double t0 = now_us();
      int fd = dial(addr);
      connUs += now_us() - t0;
      if (fd < 0) {
        printf("{\"mode\":\"connect\",\"error\":\"%s\",\"done\":%d}\n", strerror(errno), g * batch + i);
        return 1;
      }
      shutdown(fd, SHUT_WR);
      drain(fd);
      close(fd);
    }
    conn[g] = connUs / k;
    cycle[g] = (now_us() - g0) / k;
    connSum += connUs;
  }
  double total = now_us() - start;
  printf("{\"mode\":\"connect\",\"n\":%d,\"us\":%.0f,\"perSecond\":%.1f,\"connectMeanUs\":%.1f,\"cycleMeanUs\":%.1f", n, total, total > 0 ? n / (total / 1e6) : 0, connSum / n, total / n);
  print_pcts("connect", conn, groups);
  print_pcts("cycle", cycle, groups);
  printf(",\"samples\":\"%s\",\"clockTickUs\":%.1f}\n", batch == 1 ? "per-connection" : "per-batch-of-32", tick);
  return 0;
}

static int stream_bench(const struct sockaddr_in *addr, long long bytes) {
  memset(buf, 'x', sizeof buf);
  double t0 = now_us();
  int fd = dial(addr);
  if (fd < 0) {
    printf("{\"mode\":\"stream\",\"error\":\"%s\"}\n", strerror(errno));
    return 1;
  }
  for (long long sent = 0; sent < bytes;) {
    size_t want = bytes - sent < CHUNK ? (size_t)(bytes - sent) : CHUNK;
    ssize_t w = write(fd, buf, want);
    if (w < 0) {
      if (errno == EINTR) continue;
      printf("{\"mode\":\"stream\",\"error\":\"%s\",\"sent\":%lld}\n", strerror(errno), sent);
      return 1;
    }
    sent += w;
  }
  shutdown(fd, SHUT_WR);
  drain(fd);
  close(fd);
  double us = now_us() - t0;
  printf("{\"mode\":\"stream\",\"bytes\":%lld,\"us\":%.0f,\"MBps\":%.1f}\n", bytes, us, us > 0 ? bytes / us : 0);
  return 0;
}

struct req {
  int fd;
  size_t got;  /* bytes of the answer read so far */
  size_t want; /* the whole answer's size once its head and Content-Length are known, else 0 (read to EOF) */
  char head[1024];
};

/** Takes n more bytes of r's answer; 1 once the answer is complete (by Content-Length), else 0. */
static int http_take(struct req *r, const char *data, size_t n) {
  size_t room = r->got < sizeof r->head - 1 ? sizeof r->head - 1 - r->got : 0;
  if (room) memcpy(r->head + r->got, data, n < room ? n : room);
  r->got += n;
  r->head[r->got < sizeof r->head - 1 ? r->got : sizeof r->head - 1] = 0;
  if (!r->want) {
    char *end = strstr(r->head, "\r\n\r\n");
    if (!end) return 0;
    for (char *h = r->head; h && h < end; h = strstr(h, "\r\n") ? strstr(h, "\r\n") + 2 : NULL)
      if (!strncasecmp(h, "Content-Length:", 15)) r->want = (size_t)(end + 4 - r->head) + strtoul(h + 15, NULL, 10);
    if (!r->want) r->want = (size_t)-1;
  }
  return r->got >= r->want;
}

static int http_ok(const struct req *r) {
  return r->got >= 12 && !memcmp(r->head, "HTTP/1.", 7) && r->head[9] == '2';
}

static int http_start(struct req *r, const struct sockaddr_in *addr, const char *request, int nonblock) {
  r->got = r->want = 0;
  r->fd = dial(addr);
  if (r->fd < 0) return -1;
  size_t len = strlen(request);
  if (write(r->fd, request, len) != (ssize_t)len) {
    close(r->fd);
    r->fd = -1;
    return -1;
  }
  if (nonblock) fcntl(r->fd, F_SETFL, O_NONBLOCK);
  return 0;
}

/** One request on r (blocking, as wget): 1 when a 2xx answer was read to EOF. */
static int http_once(struct req *r, const struct sockaddr_in *addr, const char *request) {
  if (http_start(r, addr, request, 0) < 0) return -1;
  ssize_t got;
  int done = 0;
  while (!done && (got = read(r->fd, buf, sizeof buf)) > 0) done = http_take(r, buf, (size_t)got);
  int e = errno;
  close(r->fd);
  r->fd = -1;
  errno = e;
  if (!done && got < 0) return -1;
  return http_ok(r);
}

static int http_bench(const struct sockaddr_in *addr, const char *host, const char *path, int n, int conc) {
  char request[1024];
  snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: netbench\r\nConnection: close\r\n\r\n", path, host);
  if (conc > n) conc = n;
  struct req *reqs = calloc((size_t)conc, sizeof *reqs);
  struct pollfd *pfds = calloc((size_t)conc, sizeof *pfds);
  int started = 0, finished = 0, ok = 0, failed = 0;
  const char *firstError = NULL;
  double t0 = now_us();
  reqs[0].fd = -1;
  if (conc == 1) {
    for (; started < n; started++, finished++) {
      int r = http_once(&reqs[0], addr, request);
      if (r == 1) ok++;
      else failed++, firstError = firstError ? firstError : (r < 0 ? strerror(errno) : "not a 2xx answer");
    }
  }
  for (int i = 0; i < conc; i++) reqs[i].fd = -1;
  for (int i = 0; i < conc && started < n; i++) {
    while (reqs[i].fd < 0 && started < n) {
      started++;
      if (http_start(&reqs[i], addr, request, 1) < 0) failed++, finished++, firstError = firstError ? firstError : strerror(errno);
    }
  }
  while (finished < n) {
    for (int i = 0; i < conc; i++) pfds[i] = (struct pollfd){reqs[i].fd, POLLIN, 0};
    if (poll(pfds, (nfds_t)conc, 20000) <= 0) {
      firstError = "poll timed out";
      break;
    }
    for (int i = 0; i < conc; i++) {
      struct req *r = &reqs[i];
      if (r->fd < 0 || !pfds[i].revents) continue;
      ssize_t got = read(r->fd, buf, sizeof buf);
      if (got < 0 && errno == EAGAIN) continue;
      int done = got > 0 && http_take(r, buf, (size_t)got);
      if (got > 0 && !done) continue;
      close(r->fd);
      r->fd = -1;
      finished++;
      if ((done || got == 0) && http_ok(r)) ok++;
      else failed++, firstError = firstError ? firstError : (got < 0 ? strerror(errno) : "not a 2xx answer");
      while (r->fd < 0 && started < n) {
        started++;
        if (http_start(r, addr, request, 1) < 0) failed++, finished++, firstError = firstError ? firstError : strerror(errno);
      }
    }
  }
  double us = now_us() - t0;
  printf("{\"mode\":\"http\",\"requests\":%d,\"concurrency\":%d,\"ok\":%d,\"failed\":%d,\"us\":%.0f,\"perSecond\":%.1f", n, conc, ok, failed, us, us > 0 ? ok / (us / 1e6) : 0);
  if (firstError) printf(",\"error\":\"%s\"", firstError);
  printf("}\n");
  return ok == n ? 0 : 1;
}

static int usage(void) {
  fprintf(stderr, "usage: netbench sink PORT | connect HOST PORT N | stream HOST PORT BYTES | http HOST PORT PATH N CONCURRENCY\n");
  return 2;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) return usage();
  const char *mode = argv[1];
  if (!strcmp(mode, "sink")) return argc == 3 ? sink(atoi(argv[2])) : usage();
  struct sockaddr_in addr;
  if (!strcmp(mode, "connect") && argc == 5) return resolve_addr(argv[2], argv[3], &addr) ? 1 : connect_bench(&addr, atoi(argv[4]) > 0 ? atoi(argv[4]) : 1);
  if (!strcmp(mode, "stream") && argc == 5) return resolve_addr(argv[2], argv[3], &addr) ? 1 : stream_bench(&addr, atoll(argv[4]));
  if (!strcmp(mode, "http") && argc == 7) return resolve_addr(argv[2], argv[3], &addr) ? 1 : http_bench(&addr, argv[2], argv[4], atoi(argv[5]) > 0 ? atoi(argv[5]) : 1, atoi(argv[6]) > 0 ? atoi(argv[6]) : 1);
  return usage();
}

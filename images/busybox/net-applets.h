/* busybox network applets over the Tabernetes socket ABI (docs/sockets.md): nc and wget. */
#include "tabernetes_socket.h"

/*
 * wget -T / nc -w: a deadline for connect (non-blocking connect retried over poll until it is accepted) and,
 * for wget, for each wait for data. On expiry the applet prints net_timeout_msg and exits 1, as busybox's
 * alarm handler does ("wget: download timed out", "nc: timed out").
 */
static int net_timeout_ms;
static const char *net_timeout_msg = "";
static int net_err_fd = 2;

static long long net_now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static void net_timed_out(void) {
  dprintf(net_err_fd, "%s\n", net_timeout_msg);
  exit(1);
}

/*
 * connect() bounded by net_timeout_ms: non-blocking, polled every 20 ms while the attempt is in progress
 * (EINPROGRESS first, then EALREADY as on Linux; EAGAIN from older runtimes) until it connects (0, or EISCONN),
 * fails (its error) or the deadline passes.
 */
static int net_connect(int s, const struct sockaddr *addr, socklen_t len) {
  if (net_timeout_ms <= 0) return connect(s, addr, len);
  long long deadline = net_now_ms() + net_timeout_ms;
  fcntl(s, F_SETFL, O_NONBLOCK);
  int r;
  while ((r = connect(s, addr, len)) < 0 && (errno == EAGAIN || errno == EINPROGRESS || errno == EALREADY)) {
    long long left = deadline - net_now_ms();
    if (left <= 0) net_timed_out();
    poll(NULL, 0, left < 20 ? (int)left : 20);
  }
  if (r < 0 && errno == EISCONN) r = 0;
  fcntl(s, F_SETFL, 0);
  return r;
}

/* Waits until fd is readable, at most net_timeout_ms (none: at once); exits on a timeout. */
static void net_wait_readable(int fd) {
  if (net_timeout_ms <= 0) return;
  struct pollfd p = {fd, POLLIN, 0};
  int r;
  while ((r = poll(&p, 1, net_timeout_ms)) < 0 && errno == EINTR) {}
  if (r == 0) net_timed_out();
}

static int net_dial(const char *host, const char *port, int err_fd, const char *who) {
  struct addrinfo hints = {0}, *ai;
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &ai)) {
    dprintf(err_fd, "%s: bad address '%s'\n", who, host);
    return -1;
  }
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s >= 0 && net_connect(s, ai->ai_addr, ai->ai_addrlen) < 0) {
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, ip, sizeof ip);
    if (!strcmp(who, "wget")) dprintf(err_fd, "wget: can't connect to remote host (%s): %s\n", ip, strerror(errno));
    else dprintf(err_fd, "nc: can't connect to remote host (%s): %s\n", ip, strerror(errno));
    close(s);
    s = -1;
  }
  freeaddrinfo(ai);
  return s;
}

/* Copies in→sock and sock→out until the socket reaches EOF; stdin EOF half-closes the socket. */
static int net_relay(int sock, struct io io, int timeout_ms) {
  struct pollfd fds[2] = {{sock, POLLIN, 0}, {io.in, POLLIN, 0}};
  int nfds = 2;
  char buf[8192];
  for (;;) {
    int r = poll(fds, nfds, timeout_ms > 0 ? timeout_ms : -1);
    if (r == 0) return 0;
    if (r < 0) return errno == EINTR ? 1 : 1;
    if (nfds == 2 && fds[1].revents) {
      ssize_t n = read(io.in, buf, sizeof buf);
      if (n <= 0) {
        shutdown(sock, SHUT_WR);
        nfds = 1;
      } else wr(sock, buf, (size_t)n);
    }
    if (fds[0].revents) {
      ssize_t n = read(sock, buf, sizeof buf);
      if (n <= 0) return 0;
      wr(io.out, buf, (size_t)n);
    }
  }
}

/* nc [-l] [-p PORT] [-w SEC] [HOST PORT] */
static int app_nc(int argc, char **argv, struct io io) {
  int listen_mode = 0, timeout = 0;
  const char *lport = NULL, *args[2];
  int nargs = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-l")) listen_mode = 1;
    else if (!strcmp(argv[i], "-lp") && i + 1 < argc) listen_mode = 1, lport = argv[++i];
    else if (!strcmp(argv[i], "-p") && i + 1 < argc) lport = argv[++i];
    else if (!strcmp(argv[i], "-w") && i + 1 < argc) timeout = atoi(argv[++i]) * 1000;
    else if (argv[i][0] == '-' && argv[i][1]) {
      dprintf(io.err, "nc: unrecognized option '%s'\n", argv[i]);
      return 1;
    } else if (nargs < 2) args[nargs++] = argv[i];
  }
  if (listen_mode) {
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)(lport ? atoi(lport) : 0));
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 1) < 0) {
      dprintf(io.err, "nc: bind: %s\n", strerror(errno));
      return 1;
    }
    int c = accept(ls, NULL, NULL);
    close(ls);
    if (c < 0) return 1;
    int rc = net_relay(c, io, timeout);
    close(c);
    return rc;
  }
  if (nargs < 2) {
    dprintf(io.err, "BusyBox v1.36.1 (Tabernetes WASI build, wasm32-wasip1) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT  - listen\n");
    return 1;
  }
  net_timeout_ms = timeout;
  net_timeout_msg = "nc: timed out";
  net_err_fd = io.err;
  int s = net_dial(args[0], args[1], io.err, "nc");
  net_timeout_ms = 0;
  if (s < 0) return 1;
  int rc = net_relay(s, io, timeout);
  close(s);
  return rc;
}

/* Reads one CRLF-terminated line from a buffered socket reader. */
struct net_reader { int fd; char buf[8192]; size_t pos, len; };
static ssize_t net_fill(struct net_reader *r) {
  if (r->pos < r->len) return (ssize_t)(r->len - r->pos);
  net_wait_readable(r->fd);
  ssize_t n = read(r->fd, r->buf, sizeof r->buf);
  r->pos = 0;
  r->len = n > 0 ? (size_t)n : 0;
  return n;
}
static int net_line(struct net_reader *r, char *out, size_t cap) {
  size_t n = 0;
  for (;;) {
    if (net_fill(r) <= 0) return -1;
    char ch = r->buf[r->pos++];
    if (ch == '\n') break;
    if (ch != '\r' && n + 1 < cap) out[n++] = ch;
  }
  out[n] = 0;
  return (int)n;
}
static int net_copy(struct net_reader *r, int out, long long n, long long *total) {
  while (n < 0 || n > 0) {
    if (net_fill(r) <= 0) return n < 0 ? 0 : -1;
    size_t k = r->len - r->pos;
    if (n >= 0 && (long long)k > n) k = (size_t)n;
    wr(out, r->buf + r->pos, k);
    r->pos += k;
    *total += (long long)k;
    if (n > 0) n -= (long long)k;
  }
  return 0;
}

/*
 * wget [-q] [-O FILE] [-T SEC] [--header 'Name: value']... [-U AGENT] URL: HTTP/1.1 GET (Content-Length,
 * chunked or to EOF). A --header Host or User-Agent replaces wget's own; --headers follow Connection: close.
 */
static int app_wget(int argc, char **argv, struct io io) {
  int quiet = 0, timeout_s = 0;
  const char *outname = NULL, *url = NULL, *agent = "Wget";
  char extra[2048] = "";
  size_t extra_len = 0;
  int own_host = 0, own_agent = 0;
  for (int i = 1; i < argc; i++) {
    const char *hdr = NULL;
    if (!strcmp(argv[i], "--header") && i + 1 < argc) hdr = argv[++i];
    else if (!strncmp(argv[i], "--header=", 9)) hdr = argv[i] + 9;
    if (hdr) {
      if (!strncasecmp(hdr, "Host:", 5)) own_host = 1;
      if (!strncasecmp(hdr, "User-Agent:", 11)) own_agent = 1;
      int k = snprintf(extra + extra_len, sizeof extra - extra_len, "%s\r\n", hdr);
      if (k > 0 && (size_t)k < sizeof extra - extra_len) extra_len += (size_t)k;
      continue;
    }
    if (!strcmp(argv[i], "-q")) quiet = 1;
    else if (!strcmp(argv[i], "-qO-") || !strcmp(argv[i], "-qO")) quiet = 1, outname = argv[i][3] ? "-" : (i + 1 < argc ? argv[++i] : "-");
    else if (!strncmp(argv[i], "-O", 2)) outname = argv[i][2] ? argv[i] + 2 : (i + 1 < argc ? argv[++i] : "-");
    else if (!strcmp(argv[i], "-T") && i + 1 < argc) timeout_s = atoi(argv[++i]);
    else if (!strncmp(argv[i], "-T", 2) && argv[i][2]) timeout_s = atoi(argv[i] + 2);
    else if (!strncmp(argv[i], "--timeout=", 10)) timeout_s = atoi(argv[i] + 10);
    else if ((!strcmp(argv[i], "-U") || !strcmp(argv[i], "--user-agent")) && i + 1 < argc) agent = argv[++i];
    else if (!strncmp(argv[i], "--user-agent=", 13)) agent = argv[i] + 13;
    else if (!strncmp(argv[i], "--spider", 8)) continue;
    else url = argv[i];
  }
  if (!url) {
    dprintf(io.err, "BusyBox v1.36.1 (Tabernetes WASI build, wasm32-wasip1) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n");
    return 1;
  }
  const char *p = url;
  if (!strncmp(p, "http://", 7)) p += 7;
  else if (strstr(p, "://")) {
    dprintf(io.err, "wget: not an http or ftp url: %s\n", url);
    return 1;
  }
  char host[256], port[8] = "80", path[2048] = "/";
  size_t hl = strcspn(p, "/:");
  snprintf(host, sizeof host, "%.*s", (int)hl, p);
  p += hl;
  if (*p == ':') {
    size_t pl = strcspn(++p, "/");
    snprintf(port, sizeof port, "%.*s", (int)pl, p);
    p += pl;
  }
  if (*p) snprintf(path, sizeof path, "%s", p);
  if (!quiet) dprintf(io.err, "Connecting to %s%s%s\n", host, strcmp(port, "80") ? ":" : "", strcmp(port, "80") ? port : "");
  net_timeout_ms = timeout_s > 0 ? timeout_s * 1000 : 0;
  net_timeout_msg = "wget: download timed out";
  net_err_fd = io.err;
  int s = net_dial(host, port, io.err, "wget");
  if (s < 0) return 1;
  char req[5000], host_line[300] = "", agent_line[300] = "";
  if (!own_host) snprintf(host_line, sizeof host_line, "Host: %s%s%s\r\n", host, strcmp(port, "80") ? ":" : "", strcmp(port, "80") ? port : "");
  if (!own_agent) snprintf(agent_line, sizeof agent_line, "User-Agent: %s\r\n", agent);
  int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\n%s%sConnection: close\r\n%s\r\n", path, host_line, agent_line, extra);
  if (n >= (int)sizeof req) n = (int)sizeof req - 1;
  wr(s, req, (size_t)n);
  struct net_reader *r = calloc(1, sizeof *r);
  r->fd = s;
  char line[1024];
  if (net_line(r, line, sizeof line) < 0) {
    dprintf(io.err, "wget: error getting response: %s\n", "Connection reset by peer");
    return 1;
  }
  int code = 0;
  sscanf(line, "HTTP/%*s %d", &code);
  if (code < 200 || code >= 300) {
    dprintf(io.err, "wget: server returned error: %s\n", line);
    close(s);
    return 1;
  }
  long long length = -1;
  int chunked = 0;
  while (net_line(r, line, sizeof line) > 0) {
    if (!strncasecmp(line, "Content-Length:", 15)) length = atoll(line + 15);
    if (!strncasecmp(line, "Transfer-Encoding:", 18) && strstr(line + 18, "chunked")) chunked = 1;
  }
  const char *name = outname ? outname : (strrchr(path, '/')[1] ? strrchr(path, '/') + 1 : "index.html");
  int out = strcmp(name, "-") ? open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644) : io.out;
  if (out < 0) {
    dprintf(io.err, "wget: can't open '%s': %s\n", name, strerror(errno));
    return 1;
  }
  if (!quiet) dprintf(io.err, strcmp(name, "-") ? "saving to '%s'\n" : "writing to stdout\n", name);
  long long total = 0;
  if (chunked) {
    for (;;) {
      if (net_line(r, line, sizeof line) < 0) break;
      long long size = strtoll(line, NULL, 16);
      if (size <= 0) break;
      if (net_copy(r, out, size, &total) < 0) break;
      net_line(r, line, sizeof line);
    }
  } else net_copy(r, out, length, &total);
  if (!quiet) {
    dprintf(io.err, "%-20.20s 100%% |********************************| %5lld  0:00:00 ETA\n", strcmp(name, "-") ? name : "-", total);
    if (strcmp(name, "-")) dprintf(io.err, "'%s' saved\n", name);
    else dprintf(io.err, "written to stdout\n");
  }
  if (out != io.out) close(out);
  close(s);
  free(r);
  return 0;
}

/*
 * netexec.h: `agnhost netexec` (test/images/agnhost/netexec in Kubernetes): HTTP on --http-port (8080) with
 * /, /clientip, /dial (protocol http), /echo, /exit, /healthz, /hostname, /hostName, /redirect, /shell,
 * /shutdown. No UDP or SCTP in Tabernetes (no datagram sockets): --udp-port is accepted but nothing listens,
 * and /healthz still answers 200 unless --udp-port=-1 (then 412, as the real server without UDP or SCTP).
 */

static int nx_port = 8080, nx_udp_port = 8081, nx_exit_code;
static volatile int nx_stop;

static const char *hostname_of(void) {
  const char *h = getenv("HOSTNAME");
  return h && *h ? h : "localhost";
}

/* Go's json.Marshal of a string (HTML-safe escaping), appended to r. */
static void json_string(struct resp *r, const char *s) {
  resp_write(r, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') resp_printf(r, "\\%c", *p);
    else if (*p == '\n') resp_write(r, "\\n", 2);
    else if (*p == '\r') resp_write(r, "\\r", 2);
    else if (*p == '\t') resp_write(r, "\\t", 2);
    else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&') resp_printf(r, "\\u%04x", *p);
    else resp_write(r, (const char *)p, 1);
  }
  resp_write(r, "\"", 1);
}

/* http.Error: the message and a newline, as text/plain with nosniff. */
static void http_error(struct resp *r, int code, const char *msg) {
  r->status = code;
  resp_header(r, "Content-Type", "text/plain; charset=utf-8");
  resp_header(r, "X-Content-Type-Options", "nosniff");
  resp_printf(r, "%s\n", msg);
}

/* A Go duration ("1.5s", "100ms", "2m") in milliseconds; -1 when invalid. "" is 0. */
static long parse_duration_ms(const char *s) {
  if (!*s) return 0;
  char *end;
  double v = strtod(s, &end);
  if (end == s) return -1;
  if (!strcmp(end, "ms")) return (long)v;
  if (!strcmp(end, "s")) return (long)(v * 1000);
  if (!strcmp(end, "m")) return (long)(v * 60000);
  if (!strcmp(end, "h")) return (long)(v * 3600000);
  if (!*end && v == 0) return 0;
  return -1;
}

static void format_duration(long ms, char *out, size_t n) { go_duration((long long)ms * 1000000LL, out, n); }

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Runs `/bin/sh -c cmd` with stdout and stderr into one pipe; returns its output (malloc'd) and sets *err. */
static char *run_shell(const char *cmd, char *err, size_t errn) {
  int p[2];
  err[0] = 0;
  if (pipe(p) < 0) {
    snprintf(err, errn, "pipe: %s", strerror(errno));
    return strdup("");
  }
  char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
  int fds[3] = {0, p[1], p[1]};
  pid_t pid;
  int e = tabernetes_spawn(&pid, argv, NULL, fds);
  close(p[1]);
  size_t len = 0, cap = 4096;
  char *out = malloc(cap);
  if (e) {
    snprintf(err, errn, "fork/exec /bin/sh: %s", e == ENOENT ? "no such file or directory" : strerror(e));
  } else {
    for (ssize_t got; (got = read(p[0], out + len, cap - len - 1)) > 0;) {
      len += (size_t)got;
      if (cap - len < 1024) out = realloc(out, cap *= 2);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WEXITSTATUS(status)) snprintf(err, errn, "exit status %d", WEXITSTATUS(status));
  }
  close(p[0]);
  out[len] = 0;
  return out;
}

/* One HTTP GET of http://ip:port/path; returns 0 and the body, or -1 and Go's error text in err. */
static int dial_http(const char *host, uint32_t ip, int port, const char *path, char *body, size_t bn, char *err, size_t en) {
  char url[512];
  snprintf(url, sizeof url, "http://%s:%d/%s", host, port, path);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(ip);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
    snprintf(err, en, "Get \"%s\": dial tcp %s:%d: connect: %s", url, host, port, errno == ECONNREFUSED ? "connection refused" : strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  char reqs[1024];
  int n = snprintf(reqs, sizeof reqs, "GET /%s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: Go-http-client/1.1\r\nConnection: close\r\n\r\n", path, host, port);
  th_send_all(fd, reqs, (size_t)n);
  static char buf[65536];
  size_t len = 0;
  for (ssize_t got; len + 1 < sizeof buf && (got = recv(fd, buf + len, sizeof buf - 1 - len, 0)) > 0;) len += (size_t)got;
  close(fd);
  buf[len] = 0;
  char *sep = strstr(buf, "\r\n\r\n");
  if (!sep) {
    snprintf(err, en, "Get \"%s\": EOF", url);
    return -1;
  }
  snprintf(body, bn, "%s", sep + 4);
  return 0;
}

static void netexec_handler(struct req *rq, struct resp *rs) {
  static char a[2048], b[2048], c[2048], d[64], e[64];
  const char *p = rq->path;
  if (!strcmp(p, "/clientip")) {
    golog("GET /clientip");
    resp_printf(rs, "%s", rq->peer);
  } else if (!strcmp(p, "/echo")) {
    query_get(rq->query, "msg", a, sizeof a);
    query_get(rq->query, "code", b, sizeof b);
    golog("GET /echo?msg=%s&code=%s", a, b);
    if (*b) {
      char *end;
      long code = strtol(b, &end, 10);
      if (*end) return resp_printf(rs, "argument 'code' must be an integer or empty, got \"%s\"\n", b);
      rs->status = (int)code;
    }
    resp_printf(rs, "%s", a);
  } else if (!strcmp(p, "/hostname") || !strcmp(p, "/hostName")) {
    golog("GET %s", p);
    resp_printf(rs, "%s", hostname_of());
  } else if (!strcmp(p, "/healthz")) {
    golog("GET /healthz");
    if (nx_udp_port == -1) rs->status = 412;
  } else if (!strcmp(p, "/shutdown")) {
    golog("GET /shutdown");
    exit(0);
  } else if (!strcmp(p, "/exit")) {
    query_get(rq->query, "code", a, sizeof a);
    query_get(rq->query, "timeout", b, sizeof b);
    query_get(rq->query, "wait", c, sizeof c);
    golog("GET /exit?code=%s&timeout=%s&wait=%s", a, b, c);
    long timeout = parse_duration_ms(b), wait = parse_duration_ms(c);
    if (timeout < 0) return resp_printf(rs, "argument 'timeout' must be a valid golang duration or empty, got \"%s\"\n", b);
    if (wait < 0) return resp_printf(rs, "argument 'wait' must be a valid golang duration or empty, got \"%s\"\n", c);
    char *end;
    long code = strtol(a, &end, 10);
    if (*end) return resp_printf(rs, "argument 'code' must be an integer [0-127] or empty, got \"%s\"\n", a);
    format_duration(wait, d, sizeof d);
    format_duration(timeout, e, sizeof e);
    golog("Will begin shutdown in %s, allowing %s for connections to close, then will exit with %ld", d, e, code);
    sleep_ms(wait);
    if (timeout == 0) exit((int)code);
    /* Graceful: this response is written, then the server exits once the loop sees nx_stop. */
    nx_stop = 1;
    nx_exit_code = (int)code;
    rs->close = 1;
  } else if (!strcmp(p, "/shell")) {
    if (!query_get(rq->query, "shellCommand", a, sizeof a) || !*a) query_get(rq->query, "cmd", a, sizeof a);
    golog("GET /shell?cmd=%s", a);
    char err[256];
    char *out = run_shell(a, err, sizeof err);
    golog("Output: map[%s%s%s%s%s]", *err ? "error:" : "", err, *err && *out ? " " : "", *out ? "output:" : "", out);
    resp_write(rs, "{", 1);
    if (*err) resp_write(rs, "\"error\":", 8), json_string(rs, err);
    if (*out) {
      if (*err) resp_write(rs, ",", 1);
      resp_write(rs, "\"output\":", 9), json_string(rs, out);
    }
    resp_write(rs, "}", 1);
    free(out);
  } else if (!strcmp(p, "/redirect")) {
    query_get(rq->query, "location", a, sizeof a);
    query_get(rq->query, "code", b, sizeof b);
    golog("%s /redirect?msg=%s&code=%s", rq->method, a, b);
    rs->status = *b ? atoi(b) : 302;
    resp_header(rs, "Content-Type", "text/html; charset=utf-8");
    resp_header(rs, "Location", a);
    if (!strcmp(rq->method, "GET")) resp_printf(rs, "<a href=\"%s\">%s</a>.\n\n", a, status_text(rs->status));
  } else if (!strcmp(p, "/dial")) {
    char host[256], port[16], request[512], proto[16], tries[16];
    query_get(rq->query, "host", host, sizeof host);
    query_get(rq->query, "port", port, sizeof port);
    query_get(rq->query, "request", request, sizeof request);
    query_get(rq->query, "protocol", proto, sizeof proto);
    query_get(rq->query, "tries", tries, sizeof tries);
    golog("GET /dial?host=%s&protocol=%s&port=%s&request=%s&tries=%s", host, proto, port, request, tries);
    int n = *tries ? atoi(tries) : 1;
    if (!*request) return http_error(rs, 400, "request parameter not specified. <nil>");
    if (*proto && strcasecmp(proto, "http")) {
      snprintf(a, sizeof a, "unsupported protocol. %s", proto);
      return http_error(rs, 400, a);
    }
    uint32_t ip;
    if (tabernetes_resolve(host, &ip)) {
      snprintf(a, sizeof a, "host and/or port param are invalid. lookup %s: no such host", host);
      return http_error(rs, 400, a);
    }
    static char bodies[8][2048], errs[8][512];
    int nb = 0, ne = 0, last_ok = 0;
    for (int i = 0; i < n; i++) {
      char body[2048], err[512];
      last_ok = dial_http(host, ip, atoi(port), request, body, sizeof body, err, sizeof err) == 0;
      if (last_ok && nb < 8) snprintf(bodies[nb++], sizeof bodies[0], "%s", body);
      if (!last_ok && ne < 8) snprintf(errs[ne++], sizeof errs[0], "%s", err);
    }
    resp_write(rs, "{", 1);
    if (ne) {
      resp_write(rs, "\"errors\":[", 10);
      for (int i = 0; i < ne; i++) (i ? resp_write(rs, ",", 1) : (void)0), json_string(rs, errs[i]);
      resp_write(rs, "]", 1);
    }
    if (last_ok && nb) {
      resp_write(rs, ne ? ",\"responses\":[" : "\"responses\":[", ne ? 14 : 13);
      for (int i = 0; i < nb; i++) (i ? resp_write(rs, ",", 1) : (void)0), json_string(rs, bodies[i]);
      resp_write(rs, "]", 1);
    }
    resp_write(rs, "}", 1);
  } else {
    golog("GET /");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", gmtime(&ts.tv_sec));
    resp_printf(rs, "NOW: %s.%09ld +0000 UTC", when, ts.tv_nsec);
  }
}

/* Go's runtime as pid 1 on an unhandled SIGTERM: the re-raised signal is ignored, so it exits 2. */
static void go_default_signal(int sig) {
  (void)sig;
  exit(2);
}

static int netexec_main(void) {
  signal(SIGTERM, go_default_signal);
  signal(SIGINT, go_default_signal);
  int ls = tcp_listen(nx_port);
  if (ls < 0) {
    golog("listen tcp :%d: bind: address already in use", nx_port);
    return 1;
  }
  golog("Started HTTP server on port %d", nx_port);
  http_serve(ls, netexec_handler, &nx_stop);
  golog("Graceful shutdown completed with: <nil>");
  return nx_exit_code;
}

/*
 * grpc.h: `agnhost grpc-health-checking`: a grpc.health.v1.Health server over HTTP/2 cleartext (prior
 * knowledge) on --port (5000), and Go net/http on --http-port (8080) with /make-serving and
 * /make-not-serving. Check answers SERVING, or NOT_SERVING once forced by /make-not-serving or after
 * --delay-unhealthy-sec (>= 0); a request for another service than --service gets NotFound "unknown
 * service"; Watch and other paths get Unimplemented as grpc-go words it.
 * HTTP/2 is the minimum a unary call needs: the preface, SETTINGS (+ACK), PING ACK, HEADERS/CONTINUATION
 * with HPACK decoding (indexed and literal fields, dynamic table; Huffman-coded strings are not decoded,
 * such a :path counts as Check), DATA, and the response as HEADERS, DATA, trailers (grpc-status). Flow
 * control is ignored (replies are tiny). The gRPC side is served from the HTTP server's tick (every 5 ms).
 */
#define G_MAX_CONNS 16
#define G_BUF 32768

static int g_port = 5000, g_delay = -1, g_force = -1; /* g_force: -1 unset, 0 serving, 1 not serving */
static char g_service[256];
static char g_started[96];
static int g_listener = -1;

struct g_conn {
  int fd, preface;
  size_t len;
  unsigned char buf[G_BUF];
  unsigned char block[8192];
  size_t blen;
  char path[256];
  unsigned char data[1024];
  size_t dlen;
  char dyn[32][2][256]; /* HPACK dynamic table, newest first */
  int ndyn;
};
static struct g_conn *g_conns[G_MAX_CONNS];
static int g_nconns;

static const char *G_STATIC[61][2] = {
  {":authority", ""}, {":method", "GET"}, {":method", "POST"}, {":path", "/"}, {":path", "/index.html"}, {":scheme", "http"},
  {":scheme", "https"}, {":status", "200"}, {":status", "204"}, {":status", "206"}, {":status", "304"}, {":status", "400"},
  {":status", "404"}, {":status", "500"}, {"accept-charset", ""}, {"accept-encoding", "gzip, deflate"}, {"accept-language", ""},
  {"accept-ranges", ""}, {"accept", ""}, {"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""}, {"authorization", ""},
  {"cache-control", ""}, {"content-disposition", ""}, {"content-encoding", ""}, {"content-language", ""}, {"content-length", ""},
  {"content-location", ""}, {"content-range", ""}, {"content-type", ""}, {"cookie", ""}, {"date", ""}, {"etag", ""}, {"expect", ""},
  {"expires", ""}, {"from", ""}, {"host", ""}, {"if-match", ""}, {"if-modified-since", ""}, {"if-none-match", ""}, {"if-range", ""},
  {"if-unmodified-since", ""}, {"last-modified", ""}, {"link", ""}, {"location", ""}, {"max-forwards", ""}, {"proxy-authenticate", ""},
  {"proxy-authorization", ""}, {"range", ""}, {"referer", ""}, {"refresh", ""}, {"retry-after", ""}, {"server", ""}, {"set-cookie", ""},
  {"strict-transport-security", ""}, {"transfer-encoding", ""}, {"user-agent", ""}, {"vary", ""}, {"via", ""}, {"www-authenticate", ""},
};

static int g_send_frame(int fd, int type, int flags, unsigned stream, const unsigned char *p, size_t n) {
  unsigned char h[9] = {(unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n, (unsigned char)type, (unsigned char)flags,
                        (unsigned char)(stream >> 24), (unsigned char)(stream >> 16), (unsigned char)(stream >> 8), (unsigned char)stream};
  if (th_send_all(fd, h, 9) < 0) return -1;
  return n ? th_send_all(fd, p, n) : 0;
}

/* HPACK integer with an n-bit prefix; -1 when truncated. */
static long g_int(const unsigned char *b, size_t len, size_t *i, int prefix) {
  long mask = (1L << prefix) - 1, v = b[(*i)++] & mask;
  if (v < mask) return v;
  for (int shift = 0; *i < len && shift < 28; shift += 7) {
    unsigned char c = b[(*i)++];
    v += (long)(c & 0x7f) << shift;
    if (!(c & 0x80)) return v;
  }
  return -1;
}

/* An HPACK string into out (NUL-terminated, truncated to cap); 1 if Huffman-coded (left undecoded), -1 if truncated. */
static int g_str(const unsigned char *b, size_t len, size_t *i, char *out, size_t cap) {
  if (*i >= len) return -1;
  int huff = (b[*i] & 0x80) != 0;
  long n = g_int(b, len, i, 7);
  if (n < 0 || *i + (size_t)n > len) return -1;
  size_t m = (size_t)n < cap - 1 ? (size_t)n : cap - 1;
  memcpy(out, b + *i, m);
  out[m] = 0;
  *i += (size_t)n;
  return huff;
}

static int g_entry(struct g_conn *c, long idx, char *name, char *value) {
  if (idx >= 1 && idx <= 61) return snprintf(name, 256, "%s", G_STATIC[idx - 1][0]), snprintf(value, 256, "%s", G_STATIC[idx - 1][1]), 0;
  if (idx > 61 && idx - 62 < c->ndyn) return snprintf(name, 256, "%s", c->dyn[idx - 62][0]), snprintf(value, 256, "%s", c->dyn[idx - 62][1]), 0;
  return -1;
}

/* Decodes the header block; keeps :path. The dynamic table keeps the newest 32 entries (our size bound). */
static int g_headers(struct g_conn *c) {
  size_t i = 0, len = c->blen;
  const unsigned char *b = c->block;
  c->path[0] = 0;
  while (i < len) {
    char name[256] = "", value[256] = "";
    unsigned char x = b[i];
    int huff = 0;
    if (x & 0x80) {
      if (g_entry(c, g_int(b, len, &i, 7), name, value) < 0) return -1;
    } else if ((x & 0xe0) == 0x20) {
      g_int(b, len, &i, 5);
      continue;
    } else {
      int indexing = (x & 0x40) != 0;
      long idx = g_int(b, len, &i, indexing ? 6 : 4);
      if (idx < 0) return -1;
      if (idx) {
        if (g_entry(c, idx, name, value) < 0) return -1;
      } else if (g_str(b, len, &i, name, sizeof name) < 0) return -1;
      if ((huff = g_str(b, len, &i, value, sizeof value)) < 0) return -1;
      if (indexing) {
        memmove(c->dyn[1], c->dyn[0], sizeof c->dyn[0] * 31);
        snprintf(c->dyn[0][0], 256, "%s", name);
        snprintf(c->dyn[0][1], 256, "%s", value);
        if (c->ndyn < 32) c->ndyn++;
      }
    }
    if (!strcmp(name, ":path")) snprintf(c->path, sizeof c->path, "%s", huff ? "/grpc.health.v1.Health/Check" : value);
  }
  return 0;
}

static void g_literal(unsigned char *out, size_t *n, const char *name, const char *value) {
  size_t ln = strlen(name), lv = strlen(value);
  out[(*n)++] = 0;
  out[(*n)++] = (unsigned char)ln;
  memcpy(out + *n, name, ln), *n += ln;
  out[(*n)++] = (unsigned char)lv;
  memcpy(out + *n, value, lv), *n += lv;
}

/* Answers stream s: a HealthCheckResponse with `status`, or (code != 0) a trailers-only error. */
static int g_reply(int fd, unsigned s, int code, const char *message, int status) {
  unsigned char h[512];
  size_t n = 0;
  char num[16];
  h[n++] = 0x88; /* :status 200 */
  g_literal(h, &n, "content-type", "application/grpc");
  if (code) {
    snprintf(num, sizeof num, "%d", code);
    g_literal(h, &n, "grpc-status", num);
    g_literal(h, &n, "grpc-message", message);
    return g_send_frame(fd, 0x1, 0x5, s, h, n);
  }
  unsigned char msg[7] = {0, 0, 0, 0, 2, 0x08, (unsigned char)status};
  unsigned char t[64];
  size_t tn = 0;
  g_literal(t, &tn, "grpc-status", "0");
  g_literal(t, &tn, "grpc-message", "");
  if (g_send_frame(fd, 0x1, 0x4, s, h, n) < 0 || g_send_frame(fd, 0x0, 0, s, msg, 7) < 0) return -1;
  return g_send_frame(fd, 0x1, 0x5, s, t, tn);
}

static int g_call(struct g_conn *c, unsigned s) {
  const char *svc = "/grpc.health.v1.Health/";
  if (strncmp(c->path, svc, strlen(svc))) {
    char m[300], name[256];
    snprintf(name, sizeof name, "%s", c->path[0] == '/' ? c->path + 1 : c->path);
    char *slash = strchr(name, '/');
    if (slash) *slash = 0;
    snprintf(m, sizeof m, "unknown service %s", name);
    return g_reply(c->fd, s, 12, m, 0);
  }
  const char *method = c->path + strlen(svc);
  if (!strcmp(method, "Watch")) return g_reply(c->fd, s, 12, "unimplemented", 0);
  if (strcmp(method, "Check")) {
    char m[300];
    snprintf(m, sizeof m, "unknown method %s for service grpc.health.v1.Health", method);
    return g_reply(c->fd, s, 12, m, 0);
  }
  golog("Serving the Check request for health check, started at %s", g_started);
  char want[256] = "";
  if (c->dlen > 7 && c->data[5] == 0x0a) {
    size_t l = c->data[6] < c->dlen - 7 ? c->data[6] : c->dlen - 7;
    memcpy(want, c->data + 7, l < sizeof want - 1 ? l : sizeof want - 1);
  }
  if (strcmp(want, g_service)) return g_reply(c->fd, s, 5, "unknown service", 0);
  int unhealthy = g_force == 1 || (g_delay >= 0 && since_start_ns() >= (long long)g_delay * 1000000000LL);
  return g_reply(c->fd, s, 0, "", unhealthy ? 2 : 1);
}

/* Handles the buffered bytes of c; -1 closes it. */
static int g_process(struct g_conn *c) {
  static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  size_t off = 0;
  if (!c->preface) {
    if (c->len < 24) return memcmp(c->buf, preface, c->len) ? -1 : 0;
    if (memcmp(c->buf, preface, 24)) return -1;
    c->preface = 1;
    off = 24;
  }
  while (c->len - off >= 9) {
    unsigned char *f = c->buf + off;
    size_t n = ((size_t)f[0] << 16) | ((size_t)f[1] << 8) | f[2];
    if (n > G_BUF - 9) return -1;
    if (c->len - off < 9 + n) break;
    int type = f[3], flags = f[4];
    unsigned s = ((unsigned)(f[5] & 0x7f) << 24) | ((unsigned)f[6] << 16) | ((unsigned)f[7] << 8) | f[8];
    unsigned char *p = f + 9;
    size_t start = 0, end = n;
    if ((type == 0x0 || type == 0x1) && (flags & 0x8) && n) end -= p[start++];
    if (type == 0x1 && (flags & 0x20)) start += 5;
    if (start > end) return -1;
    if (type == 0x4 && !(flags & 0x1)) {
      if (g_send_frame(c->fd, 0x4, 0x1, 0, NULL, 0) < 0) return -1;
    } else if (type == 0x6 && !(flags & 0x1)) {
      if (g_send_frame(c->fd, 0x6, 0x1, 0, p, n) < 0) return -1;
    } else if (type == 0x7) {
      return -1;
    } else if (type == 0x1 || type == 0x9) {
      if (type == 0x1) c->blen = 0, c->dlen = 0;
      if (c->blen + (end - start) > sizeof c->block) return -1;
      memcpy(c->block + c->blen, p + start, end - start);
      c->blen += end - start;
      if ((flags & 0x4) && g_headers(c) < 0) return -1;
      if ((flags & 0x1) && g_call(c, s) < 0) return -1;
    } else if (type == 0x0) {
      size_t m = end - start;
      if (c->dlen + m > sizeof c->data) m = sizeof c->data - c->dlen;
      memcpy(c->data + c->dlen, p + start, m);
      c->dlen += m;
      if ((flags & 0x1) && g_call(c, s) < 0) return -1;
    }
    off += 9 + n;
  }
  memmove(c->buf, c->buf + off, c->len - off);
  c->len -= off;
  return 0;
}

static void g_drop(int i) {
  close(g_conns[i]->fd);
  free(g_conns[i]);
  g_conns[i] = g_conns[--g_nconns];
}

/* One non-blocking round over the gRPC listener and connections (the HTTP server's tick). */
static void g_tick(struct th_server *s) {
  (void)s;
  struct pollfd fds[G_MAX_CONNS + 1];
  fds[0].fd = g_listener, fds[0].events = g_nconns < G_MAX_CONNS ? POLLIN : 0, fds[0].revents = 0;
  for (int i = 0; i < g_nconns; i++) fds[i + 1].fd = g_conns[i]->fd, fds[i + 1].events = POLLIN, fds[i + 1].revents = 0;
  if (poll(fds, (nfds_t)(g_nconns + 1), 0) <= 0) return;
  for (int i = g_nconns - 1; i >= 0; i--) {
    if (!(fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    struct g_conn *c = g_conns[i];
    ssize_t got = recv(c->fd, c->buf + c->len, G_BUF - c->len, 0);
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (got <= 0 || (c->len += (size_t)got, g_process(c) < 0)) g_drop(i);
  }
  if (!(fds[0].revents & POLLIN)) return;
  for (int fd; g_nconns < G_MAX_CONNS && (fd = accept(g_listener, NULL, NULL)) >= 0;) {
    struct g_conn *c = (struct g_conn *)calloc(1, sizeof *c);
    if (!c) {
      close(fd);
      break;
    }
    c->fd = fd;
    g_conns[g_nconns++] = c;
    if (g_send_frame(fd, 0x4, 0, 0, NULL, 0) < 0) g_drop(g_nconns - 1); /* the server preface: SETTINGS */
  }
}

static void g_http(struct req *rq, struct resp *rs) {
  char text[64];
  int serving = !strcmp(rq->path, "/make-serving");
  if (serving || !strcmp(rq->path, "/make-not-serving")) {
    golog(serving ? "Mark as healthy" : "Mark as unhealthy");
    g_force = serving ? 0 : 1;
    go_duration(since_start_ns(), text, sizeof text);
    resp_printf(rs, "%s", text);
  } else {
    http_error(rs, 404, "404 page not found");
  }
}

static int grpc_main(void) {
  signal(SIGTERM, go_default_signal);
  signal(SIGINT, go_default_signal);
  struct timespec wall;
  clock_gettime(CLOCK_REALTIME, &wall);
  char when[40];
  strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", gmtime(&wall.tv_sec));
  snprintf(g_started, sizeof g_started, "%s.%09ld +0000 UTC m=+0.000000001", when, (long)wall.tv_nsec);
  int hs = tcp_listen(nx_port);
  if (hs < 0) {
    golog("listen tcp :%d: bind: address already in use", nx_port);
    return 1;
  }
  golog("Http server starting to listen on :%d", nx_port);
  g_listener = tcp_listen(g_port);
  if (g_listener < 0) {
    golog("Error while starting the listening service listen tcp :%d: bind: address already in use", g_port);
    return 1;
  }
  fcntl(g_listener, F_SETFL, O_NONBLOCK);
  golog("gRPC server starting to listen on :%d", g_port);
  static struct th_server server;
  struct sockaddr_in local;
  socklen_t len = sizeof local;
  fcntl(hs, F_SETFL, O_NONBLOCK);
  server.listener_ports[0] = getsockname(hs, (struct sockaddr *)&local, &len) == 0 ? ntohs(local.sin_port) : 0;
  server.listeners[0] = hs;
  server.nlisteners = 1;
  server.handler = http_on_request;
  server.stop = &nx_stop;
  server.tick = g_tick;
  server.tick_ms = 5;
  http_current = g_http;
  th_serve(&server);
  return 0;
}

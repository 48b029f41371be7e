// nginx-proxy.h: `proxy_pass http://host[:port][/uri]` (ngx_http_proxy_module's subset). The upstream host
// is resolved per request (tabernetes_resolve: cluster DNS, so Service names and ClusterIPs work). The request
// goes upstream as HTTP/1.0 (proxy_http_version 1.1 honoured) with `Connection: close`, nginx's default
// `Host: $proxy_host` unless a proxy_set_header Host overrides it, the client's other headers (minus
// hop-by-hop ones and those proxy_set_header sets) and the body. With a URI part, the matched location prefix
// is replaced by it. The response is streamed back as it arrives: nginx's own Server and Date replace the
// upstream's; without a Content-Length the client connection closes at the end. Connect or resolve failures
// and a broken upstream head answer 502 with nginx's error log line; proxy_read_timeout (default 60 s) 504.
// Non-blocking: proxy_pass connects and sends, then parks the client connection (PROXY_PARKED) while the
// server loop (nginx-upstream.h) waits for the upstream's answer, so many clients are proxied at once.

#define PROXY_PARKED TH_PARKED
static char proxy_buf[65536];
static struct pjob *pjob_start(struct ctx *x, int fd, const char *url, int connecting, char *req, size_t len);

/* Splits "http://host[:port][/uri]" into host, port and uri ("" when absent); -1 unless http://. */
static int proxy_target(const char *url, char *host, size_t hn, int *port, char *uri, size_t un) {
  if (strncmp(url, "http://", 7)) return -1;
  const char *h = url + 7, *slash = strchr(h, '/');
  size_t hl = slash ? (size_t)(slash - h) : strlen(h);
  snprintf(host, hn, "%.*s", (int)hl, h);
  char *colon = strchr(host, ':');
  *port = 80;
  if (colon) *colon = 0, *port = atoi(colon + 1);
  snprintf(uri, un, "%s", slash ? slash : "");
  return 0;
}

static int proxy_timeout_ms(struct ctx *x) {
  struct ncf *t = directive(x, "proxy_read_timeout");
  if (!t || !t->nargs) return 60000;
  return atoi(t->args[0]) * (strstr(t->args[0], "ms") ? 1 : 1000);
}

static int proxy_header_set(struct ctx *x, const char *name) {
  struct ncf *blocks[3] = {x->loc, x->srv ? x->srv->b : NULL, http};
  for (int b = 0; b < 3; b++) {
    int any = 0;
    for (int i = 0; blocks[b] && i < blocks[b]->nkids; i++) {
      struct ncf *d = &blocks[b]->kids[i];
      if (strcmp(d->name, "proxy_set_header") || d->nargs < 2) continue;
      any = 1;
      if (!strcasecmp(d->args[0], name)) return 1;
    }
    if (any) return 0; /* nginx: proxy_set_header at one level replaces the outer levels' */
  }
  return 0;
}

/* Appends proxy_set_header lines of the innermost level that has any (empty values are not sent). */
static size_t proxy_set_headers(struct ctx *x, char *out, size_t n, size_t o) {
  struct ncf *blocks[3] = {x->loc, x->srv ? x->srv->b : NULL, http};
  for (int b = 0; b < 3; b++) {
    int any = 0;
    for (int i = 0; blocks[b] && i < blocks[b]->nkids && o < n; i++) {
      struct ncf *d = &blocks[b]->kids[i];
      if (strcmp(d->name, "proxy_set_header") || d->nargs < 2) continue;
      any = 1;
      char val[2048];
      if (!expand(x, d->args[1], val, sizeof val, "")) continue;
      o += (size_t)snprintf(out + o, n - o, "%s: %s\r\n", d->args[0], val);
    }
    if (any) break;
  }
  return o < n ? o : n;
}

static int proxy_fail(struct ctx *x, int code, const char *what, const char *url) {
  snprintf(x->upstream, sizeof x->upstream, "%s%s", url, x->r->target);
  req_error(x, "error", "%s", what);
  x->upstream[0] = 0;
  return fail(x, code, 0);
}

static int proxy_pass(struct ctx *x, struct ncf *pp) {
  char host[256], base[1024], url[1400];
  int port;
  if (proxy_target(pp->args[0], host, sizeof host, &port, base, sizeof base)) return fail(x, 500, 0);
  uint32_t ip;
  snprintf(url, sizeof url, "http://%s:%d", host, port);
  if (tabernetes_resolve(host, &ip)) return proxy_fail(x, 502, "no live upstreams while connecting to upstream", url);
  struct in_addr a = {htonl(ip)};
  char ipstr[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, ipstr, sizeof ipstr);
  snprintf(url, sizeof url, "http://%s:%d", ipstr, port);
  /* Request line: location prefix replaced by the URI part when there is one. */
  char target[4096];
  if (*base && x->loc && x->loc->nargs >= 1) {
    const char *prefix = x->loc->args[x->loc->nargs - 1];
    size_t pl = strlen(prefix);
    snprintf(target, sizeof target, "%s%s%s%s", base, strncmp(x->uri, prefix, pl) ? x->uri : x->uri + pl, *x->r->query ? "?" : "", x->r->query);
  } else if (x->rewritten) snprintf(target, sizeof target, "%s%s%s", x->uri, *x->r->query ? "?" : "", x->r->query);
  else snprintf(target, sizeof target, "%s", x->r->target);
  struct ncf *ver = directive(x, "proxy_http_version");
  size_t o = (size_t)snprintf(proxy_buf, sizeof proxy_buf, "%s %s HTTP/%s\r\n", x->r->method, target, ver && ver->nargs ? ver->args[0] : "1.0");
  if (!proxy_header_set(x, "Host")) o += (size_t)snprintf(proxy_buf + o, sizeof proxy_buf - o, "Host: %s%s%.0d\r\n", host, port == 80 ? "" : ":", port == 80 ? 0 : port);
  o = proxy_set_headers(x, proxy_buf, sizeof proxy_buf, o);
  if (!proxy_header_set(x, "Connection")) o += (size_t)snprintf(proxy_buf + o, sizeof proxy_buf - o, "Connection: close\r\n");
  static const char *hop[] = {"Host", "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", NULL};
  for (int i = 0; i < x->r->nheaders && o < sizeof proxy_buf; i++) {
    const char *name = x->r->headers[i].name;
    int skip = proxy_header_set(x, name);
    for (int k = 0; hop[k] && !skip; k++) skip = !strcasecmp(hop[k], name);
    if (!skip) o += (size_t)snprintf(proxy_buf + o, sizeof proxy_buf - o, "%s: %s\r\n", name, x->r->headers[i].value);
  }
  o += (size_t)snprintf(proxy_buf + o, sizeof proxy_buf - o, "\r\n");
  if (o >= sizeof proxy_buf) return proxy_fail(x, 502, "upstream request too large", url);
  char *req = (char *)malloc(o + x->r->body_len);
  memcpy(req, proxy_buf, o);
  if (x->r->body_len) memcpy(req + o, x->r->body, x->r->body_len);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  sa.sin_addr.s_addr = htonl(ip);
  if (fd >= 0) fcntl(fd, F_SETFL, O_NONBLOCK);
  int rc = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&sa, sizeof sa);
  int connecting = rc < 0 && (errno == EAGAIN || errno == EINPROGRESS);
  if (rc < 0 && !connecting) {
    char what[160];
    int e = errno;
    snprintf(what, sizeof what, "connect() failed (%d: %s) while connecting to upstream", e == ECONNREFUSED ? 111 : e, strerror(e));
    if (fd >= 0) close(fd);
    free(req);
    return proxy_fail(x, 502, what, url);
  }
  return pjob_start(x, fd, url, connecting, req, o + x->r->body_len) ? PROXY_PARKED : fail(x, 500, 0);
}

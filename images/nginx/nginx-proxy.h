// nginx-proxy.h: `proxy_pass http://host[:port][/uri]` (ngx_http_proxy_module's subset). The upstream host
// is resolved per request (tabernetes_resolve: cluster DNS, so Service names and ClusterIPs work). The request
// goes upstream as HTTP/1.0 (proxy_http_version 1.1 honoured) with `Connection: close`, nginx's default
// `Host: $proxy_host` unless a proxy_set_header Host overrides it, the client's other headers (minus
// hop-by-hop ones and those proxy_set_header sets) and the body. With a URI part, the matched location prefix
// is replaced by it. The response is streamed back as it arrives: nginx's own Server and Date replace the
// upstream's; without a Content-Length the client connection closes at the end. Connect or resolve failures
// and a broken upstream head answer 502 with nginx's error log line; proxy_read_timeout (default 60 s) 504.
// Blocking: one proxied request holds the server loop until it finishes, as one nginx worker would per event.

static char proxy_buf[65536];

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
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  sa.sin_addr.s_addr = htonl(ip);
  if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    char what[160];
    int e = errno;
    snprintf(what, sizeof what, "connect() failed (%d: %s) while connecting to upstream", e == ECONNREFUSED ? 111 : e, strerror(e));
    if (fd >= 0) close(fd);
    return proxy_fail(x, 502, what, url);
  }
  /* Request line: location prefix replaced by the URI part when there is one. */
  char target[4096];
  if (*base && x->loc && x->loc->nargs >= 1) {
    const char *prefix = x->loc->args[x->loc->nargs - 1];
    size_t pl = strlen(prefix);
    snprintf(target, sizeof target, "%s%s%s%s", base, strncmp(x->uri, prefix, pl) ? x->uri : x->uri + pl, *x->r->query ? "?" : "", x->r->query);
  } else snprintf(target, sizeof target, "%s", x->r->target);
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
  if (o >= sizeof proxy_buf || th_send_all(fd, proxy_buf, o) || (x->r->body_len && th_send_all(fd, x->r->body, x->r->body_len))) {
    close(fd);
    return proxy_fail(x, 502, "send() failed while sending request to upstream", url);
  }
  /* Response head. */
  size_t got = 0;
  char *end = NULL;
  int timeout = proxy_timeout_ms(x);
  while (!end) {
    struct pollfd pf = {fd, POLLIN, 0};
    if (poll(&pf, 1, timeout) == 0) {
      close(fd);
      return proxy_fail(x, 504, "upstream timed out (110: Connection timed out) while reading response header from upstream", url);
    }
    ssize_t r = recv(fd, proxy_buf + got, sizeof proxy_buf - 1 - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0 || got + (size_t)r >= sizeof proxy_buf - 1) {
      close(fd);
      return proxy_fail(x, 502, r < 0 ? "recv() failed (104: Connection reset by peer) while reading response header from upstream" : "upstream prematurely closed connection while reading response header from upstream", url);
    }
    got += (size_t)r;
    proxy_buf[got] = 0;
    end = strstr(proxy_buf, "\r\n\r\n");
  }
  size_t head_len = (size_t)(end + 4 - proxy_buf);
  int code = atoi(proxy_buf + 9);
  if (strncmp(proxy_buf, "HTTP/1.", 7) || code < 100) {
    close(fd);
    return proxy_fail(x, 502, "upstream sent no valid HTTP/1.0 header while reading response header from upstream", url);
  }
  char head[8192], date[64];
  th_http_date(date, sizeof date, time(NULL));
  long clen = -1;
  int chunked = 0;
  size_t h = (size_t)snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nServer: %s\r\nDate: %s\r\n", code, th_reason(code), server_ver(), date);
  for (char *line = strstr(proxy_buf, "\r\n") + 2; line < end; ) {
    char *next = strstr(line, "\r\n");
    *next = 0;
    char *colon = strchr(line, ':');
    if (colon) {
      size_t nl = (size_t)(colon - line);
      const char *v = colon + 1;
      while (*v == ' ') v++;
      if (nl == 14 && !strncasecmp(line, "Content-Length", 14)) clen = atol(v);
      if (nl == 17 && !strncasecmp(line, "Transfer-Encoding", 17)) chunked = 1;
      int drop = (nl == 6 && !strncasecmp(line, "Server", 6)) || (nl == 4 && !strncasecmp(line, "Date", 4)) ||
                 (nl == 10 && !strncasecmp(line, "Connection", 10)) || (nl == 10 && !strncasecmp(line, "Keep-Alive", 10));
      if (!drop && h < sizeof head) h += (size_t)snprintf(head + h, sizeof head - h, "%s\r\n", line);
    }
    line = next + 2;
  }
  if (clen < 0 && !chunked) x->r->keep_alive = 0;
  if (h < sizeof head) h += (size_t)snprintf(head + h, sizeof head - h, "Connection: %s\r\n\r\n", x->r->keep_alive ? "keep-alive" : "close");
  int head_only = !strcmp(x->r->method, "HEAD");
  x->status = code;
  int rc = th_send_all(x->c->fd, head, h < sizeof head ? h : sizeof head);
  size_t body = got - head_len, sent = 0;
  if (!rc && body && !head_only) rc = th_send_all(x->c->fd, proxy_buf + head_len, body), sent += body;
  /* Body: Content-Length bytes, or until the upstream closes (chunked bodies pass through as they are). */
  while (!rc && !head_only && (clen < 0 || (long)body < clen)) {
    struct pollfd pf = {fd, POLLIN, 0};
    if (poll(&pf, 1, timeout) == 0) break;
    ssize_t r = recv(fd, proxy_buf, sizeof proxy_buf, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    body += (size_t)r;
    rc = th_send_all(x->c->fd, proxy_buf, (size_t)r);
    sent += (size_t)r;
  }
  close(fd);
  if (clen >= 0 && (long)body < clen) x->r->keep_alive = 0, rc = -1; /* truncated upstream body: close */
  x->body_bytes = sent;
  x->bytes = h + sent;
  access_log(x);
  return rc;
}

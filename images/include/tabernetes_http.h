/*
 * tabernetes_http.h: a small HTTP/1.1 server core for Tabernetes images (C, wasm32-wasip1), header-only.
 * Over tabernetes_socket.h: one thread, poll() over the listeners and up to TH_MAX_CONNS connections.
 *
 *   static int handle(struct th_conn *c, struct th_request *r) { ...; return th_send(c, head, n, body, len); }
 *   struct th_server s = { .handler = handle, .stop = &stopping };
 *   th_listen(&s, NULL, 8080);   // -1 with errno on failure
 *   th_serve(&s);                // returns when *stop is set (a signal handler sets it; poll gives EINTR)
 *
 * Contracts:
 * - The handler is called once per complete request (head plus Content-Length body), in order per
 *   connection (pipelined requests work). Request strings point into the connection's buffer and are valid
 *   only during the call. It returns 0 to keep the connection (when r->keep_alive) or -1 to close it, or
 *   TH_PARKED to answer later: the request stays in the buffer, the connection's next requests wait, and
 *   the caller ends it with th_consume (see th_serve_conn).
 * - keep_alive follows HTTP/1.1 (default on, "Connection: close" ends it) and HTTP/1.0 ("keep-alive").
 * - A head larger than TH_BUF gets "431", a malformed request line "400" (via th_error_hook if set), then close.
 * - Chunked request bodies are not supported (the connection is closed).
 */
#ifndef TABERNETES_HTTP_H
#define TABERNETES_HTTP_H

#include <stdio.h>
#include <strings.h>
#include <time.h>
#include "tabernetes_socket.h"

#ifndef TH_MAX_CONNS
#define TH_MAX_CONNS 256
#endif
#ifndef TH_BUF
#define TH_BUF 16384
#endif
#define TH_MAX_HEADERS 64
#define TH_PARKED 2 /* a handler's return for a request it answers later */
#define TH_MAX_LISTENERS 8

struct th_header { const char *name, *value; };

struct th_request {
  char *method, *target, *path, *query, *proto; /* path: target before '?'; query: after it, or "" */
  struct th_header headers[TH_MAX_HEADERS];
  int nheaders;
  const char *body;
  size_t body_len;
  int keep_alive;
};

struct th_conn {
  int fd;
  int local_port;
  int peer_port;
  char peer_ip[INET_ADDRSTRLEN];
  char local_ip[INET_ADDRSTRLEN];
  unsigned long requests; /* served on this connection so far */
  long long last_ms;      /* CLOCK_MONOTONIC of the last bytes received (for idle_ms) */
  size_t len;
  char buf[TH_BUF + 1];
};

typedef int (*th_handler)(struct th_conn *c, struct th_request *r);

struct th_server {
  th_handler handler;
  volatile int *stop;
  /* Called for a request that cannot be parsed (400) or whose head is too large (431); may be NULL. */
  void (*error_hook)(struct th_conn *c, int code);
  /* Connections that receive nothing for this long are closed (keep-alive timeout); 0: never. */
  int idle_ms;
  int listeners[TH_MAX_LISTENERS];
  int listener_ports[TH_MAX_LISTENERS];
  int nlisteners;
  struct th_conn *conns[TH_MAX_CONNS];
  int nconns;
  /* When set, called at least every tick_ms (after each poll round), e.g. to reload a config; may add listeners. */
  void (*tick)(struct th_server *s);
  int tick_ms;
};

static inline const char *th_reason(int code) {
  switch (code) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Not Allowed";
    case 408: return "Request Time-out";
    case 411: return "Length Required";
    case 413: return "Request Entity Too Large";
    case 414: return "Request-URI Too Large";
    case 418: return "I'm a teapot";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Temporarily Unavailable";
    case 504: return "Gateway Time-out";
    default: return "";
  }
}

/* RFC 7231 date: "Wed, 25 Nov 2026 20:01:02 GMT". */
static inline void th_http_date(char *out, size_t n, time_t t) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, n, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* The value of header `name` (case-insensitive), or NULL. */
static inline const char *th_header(const struct th_request *r, const char *name) {
  for (int i = 0; i < r->nheaders; i++)
    if (!strcasecmp(r->headers[i].name, name)) return r->headers[i].value;
  return NULL;
}

/* Writes all of p, waiting (poll) while the peer's window is full. 0, or -1 when the peer is gone. */
static inline int th_send_all(int fd, const void *data, size_t n) {
  const char *p = (const char *)data;
  while (n) {
    ssize_t w = send(fd, p, n, 0);
    if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
      struct pollfd pf = {fd, POLLOUT, 0};
      poll(&pf, 1, 1000);
      continue;
    }
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Sends head then body (body may be NULL) as one write when they fit in 16 KiB. 0, or -1 on a dead peer. */
static inline int th_send(struct th_conn *c, const char *head, size_t head_len, const void *body, size_t body_len) {
  static char out[16384];
  if (head_len + body_len <= sizeof out) {
    memcpy(out, head, head_len);
    if (body_len) memcpy(out + head_len, body, body_len);
    return th_send_all(c->fd, out, head_len + body_len);
  }
  if (th_send_all(c->fd, head, head_len)) return -1;
  return body_len ? th_send_all(c->fd, body, body_len) : 0;
}

/* Binds and listens on host (NULL/"" = 0.0.0.0, or a name tabernetes_resolve knows) and port. */
static inline int th_listen(struct th_server *s, const char *host, int port) {
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  if (host && *host && strcmp(host, "*")) {
    uint32_t ip;
    if (tabernetes_resolve(host, &ip)) {
      errno = EADDRNOTAVAIL;
      return -1;
    }
    addr.sin_addr.s_addr = htonl(ip);
  }
  if (s->nlisteners >= TH_MAX_LISTENERS) {
    errno = ENOBUFS;
    return -1;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, SOMAXCONN) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  s->listener_ports[s->nlisteners] = port;
  s->listeners[s->nlisteners++] = fd;
  return fd;
}

/* Content-Length in the raw head buf[0..n) without modifying it; 0 when absent, -1 when invalid. */
static inline long th_raw_content_length(const char *buf, size_t n) {
  for (size_t i = 0; i + 16 < n; i++) {
    if (buf[i] == '\n' && !strncasecmp(buf + i + 1, "content-length:", 15)) {
      const char *v = buf + i + 16;
      while (*v == ' ' || *v == '\t') v++;
      if (*v < '0' || *v > '9') return -1;
      return atol(v);
    }
  }
  return 0;
}

/* Parses one request at the start of c->buf. >0: bytes it uses; 0: incomplete; -400/-411/-413/-431: bad. */
static inline long th_parse(struct th_conn *c, struct th_request *r) {
  static char path[TH_BUF];
  char *buf = c->buf, *end = NULL;
  size_t skip = 0;
  buf[c->len] = 0;
  while (c->len && (buf[0] == '\r' || buf[0] == '\n')) memmove(buf, buf + 1, c->len--);
  for (char *nl = strchr(buf, '\n'); nl; nl = strchr(nl + 1, '\n')) {
    if (nl[1] == '\n') { end = nl; skip = 2; break; }
    if (nl[1] == '\r' && nl[2] == '\n') { end = nl; skip = 3; break; }
  }
  if (!end) return c->len >= TH_BUF ? -431 : 0;
  size_t head = (size_t)(end + skip - buf);
  long body = th_raw_content_length(buf, head);
  if (body < 0) return -400;
  if (head + (size_t)body > TH_BUF) return -413;
  if (head + (size_t)body > c->len) return 0;
  *end = 0;
  memset(r, 0, sizeof *r);
  char *line = buf, *next = strchr(line, '\n');
  if (next) *next++ = 0;
  size_t ll = strlen(line);
  if (ll && line[ll - 1] == '\r') line[--ll] = 0;
  r->method = strtok(line, " ");
  r->target = strtok(NULL, " ");
  r->proto = strtok(NULL, " ");
  if (!r->method || !r->target) return -400;
  if (!r->proto) r->proto = (char *)"HTTP/0.9";
  else if (strncmp(r->proto, "HTTP/", 5)) return -400;
  while (next && *next) {
    char *h = next;
    next = strchr(h, '\n');
    if (next) *next++ = 0;
    size_t hl = strlen(h);
    if (hl && h[hl - 1] == '\r') h[--hl] = 0;
    char *colon = strchr(h, ':');
    if (!colon || r->nheaders == TH_MAX_HEADERS) continue;
    *colon = 0;
    char *v = colon + 1;
    while (*v == ' ' || *v == '\t') v++;
    for (char *t = v + strlen(v); t > v && (t[-1] == ' ' || t[-1] == '\t');) *--t = 0;
    r->headers[r->nheaders].name = h;
    r->headers[r->nheaders++].value = v;
  }
  snprintf(path, sizeof path, "%s", r->target);
  char *q = strchr(path, '?');
  r->query = (char *)"";
  if (q) *q = 0, r->query = q + 1;
  r->path = path;
  const char *te = th_header(r, "Transfer-Encoding");
  if (te && strcasecmp(te, "identity")) return -411;
  r->body = buf + head;
  r->body_len = (size_t)body;
  const char *conn = th_header(r, "Connection");
  if (!strcmp(r->proto, "HTTP/1.1")) r->keep_alive = !(conn && !strcasecmp(conn, "close"));
  else r->keep_alive = conn && !strcasecmp(conn, "keep-alive");
  return (long)(head + (size_t)body);
}

static inline long long th_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void th_drop(struct th_server *s, int i) {
  close(s->conns[i]->fd);
  free(s->conns[i]);
  s->conns[i] = s->conns[--s->nconns];
}

/* Counts a served request and drops its `used` bytes from the front of c's buffer. */
static inline void th_consume(struct th_conn *c, long used) {
  c->requests++;
  memmove(c->buf, c->buf + used, c->len - (size_t)used);
  c->len -= (size_t)used;
}

/* Serves every complete request buffered on c; -1 when the connection must close, 0 when no complete request
 * is left, or (> 0) the length of the request its handler parked (TH_PARKED; still at the front of c->buf). */
static inline long th_serve_conn(struct th_server *s, struct th_conn *c) {
  for (;;) {
    struct th_request r;
    long used = th_parse(c, &r);
    if (used == 0) return 0;
    if (used < 0) {
      if (s->error_hook) s->error_hook(c, (int)-used);
      return -1;
    }
    int rc = s->handler(c, &r);
    if (rc == TH_PARKED) return used;
    th_consume(c, used);
    if (rc < 0 || !r.keep_alive) return -1;
  }
}

static inline void th_accept_all(struct th_server *s, int li) {
  while (s->nconns < TH_MAX_CONNS) {
    struct sockaddr_in peer, local;
    socklen_t len = sizeof peer, llen = sizeof local;
    int fd = accept(s->listeners[li], (struct sockaddr *)&peer, &len);
    if (fd < 0) return;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    struct th_conn *c = (struct th_conn *)calloc(1, sizeof *c);
    if (!c) {
      close(fd);
      return;
    }
    c->fd = fd;
    inet_ntop(AF_INET, &peer.sin_addr, c->peer_ip, sizeof c->peer_ip);
    c->peer_port = ntohs(peer.sin_port);
    c->local_port = s->listener_ports[li];
    c->last_ms = th_now_ms();
    if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0) inet_ntop(AF_INET, &local.sin_addr, c->local_ip, sizeof c->local_ip);
    s->conns[s->nconns++] = c;
  }
}

/* The accept/read loop; returns when *s->stop becomes non-zero. Connections are closed on return. */
static inline void th_serve(struct th_server *s) {
  static struct pollfd fds[TH_MAX_CONNS + TH_MAX_LISTENERS];
  while (!*s->stop) {
    int nl = s->nlisteners;
    for (int i = 0; i < nl; i++) {
      fds[i].fd = s->listeners[i];
      fds[i].events = s->nconns < TH_MAX_CONNS ? POLLIN : 0;
      fds[i].revents = 0;
    }
    for (int i = 0; i < s->nconns; i++) fds[nl + i].fd = s->conns[i]->fd, fds[nl + i].events = POLLIN, fds[nl + i].revents = 0;
    int timeout = -1;
    long long now = th_now_ms();
    for (int i = 0; s->idle_ms && i < s->nconns; i++) {
      long long left = s->conns[i]->last_ms + s->idle_ms - now;
      if (left < 0) left = 0;
      if (timeout < 0 || left < timeout) timeout = (int)left;
    }
    if (s->tick && s->tick_ms > 0 && (timeout < 0 || timeout > s->tick_ms)) timeout = s->tick_ms;
    int ready = poll(fds, (nfds_t)(nl + s->nconns), timeout);
    if (*s->stop) break;
    if (ready < 0) continue;
    now = th_now_ms();
    for (int i = s->nconns - 1; i >= 0; i--) {
      if (!(fds[nl + i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      struct th_conn *c = s->conns[i];
      ssize_t got = recv(c->fd, c->buf + c->len, TH_BUF - c->len, 0);
      if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (got <= 0) {
        th_drop(s, i);
        continue;
      }
      c->last_ms = now;
      c->len += (size_t)got;
      if (th_serve_conn(s, c) < 0) th_drop(s, i);
    }
    for (int i = s->nconns - 1; s->idle_ms && i >= 0; i--)
      if (now - s->conns[i]->last_ms >= s->idle_ms) th_drop(s, i);
    for (int i = 0; i < nl; i++)
      if (fds[i].revents & POLLIN) th_accept_all(s, i);
    if (s->tick) s->tick(s);
  }
  while (s->nconns) th_drop(s, s->nconns - 1);
}

#endif /* TABERNETES_HTTP_H */

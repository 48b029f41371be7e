/*
 * http.h: agnhost's small HTTP/1.1 server (Go net/http's wire shape) over tabernetes_http.h: poll over up to
 * 64 keep-alive connections, one request handled at a time (a slow handler delays the others, as nothing
 * here is async). A request without a protocol version, or that cannot be parsed, closes the connection
 * without a reply.
 * Responses carry handler headers, then `Date`, `Content-Length` and a sniffed `Content-Type`, as Go writes
 * them. Also Go's log line format (`2006/01/02 15:04:05 msg` on stderr) and query-string decoding.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tabernetes.h"
#define TH_MAX_CONNS 64
#include "tabernetes_http.h"

struct req {
  char method[16], path[2048], query[2048], proto[16], peer[48];
};

struct resp {
  int status;
  char *body;
  size_t len, cap;
  char headers[1024]; /* extra "Name: value\r\n" lines */
  int no_body_type;   /* 1: no Content-Type even with a body */
  int close;          /* 1: close the connection after this response */
};

static void golog(const char *fmt, ...) {
  char when[32];
  time_t now = time(NULL);
  strftime(when, sizeof when, "%Y/%m/%d %H:%M:%S", gmtime(&now));
  fprintf(stderr, "%s ", when);
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  size_t n = strlen(fmt);
  if (!n || fmt[n - 1] != '\n') fputc('\n', stderr);
}

/* Go's strconv 'g' -1 for seconds measured in ns: the 9-decimal form without trailing zeros. */
static void go_seconds(long long ns, char *out, size_t n) {
  snprintf(out, n, "%lld.%09lld", ns / 1000000000LL, ns % 1000000000LL);
  size_t l = strlen(out);
  while (out[l - 1] == '0') out[--l] = 0;
  if (out[l - 1] == '.') out[--l] = 0;
}

/* Go's time.Duration.String(): "0s", "1.5µs", "250ms", "10.123456789s", "1m30s", "2h0m0s". */
static void go_duration(long long ns, char *out, size_t n) {
  char frac[48];
  if (ns == 0) snprintf(out, n, "0s");
  else if (ns < 1000) snprintf(out, n, "%lldns", ns);
  else if (ns < 1000000000LL) {
    long long unit = ns < 1000000 ? 1000 : 1000000;
    snprintf(frac, sizeof frac, "%lld.%0*lld", ns / unit, unit == 1000 ? 3 : 6, ns % unit);
    size_t l = strlen(frac);
    while (frac[l - 1] == '0') frac[--l] = 0;
    if (frac[l - 1] == '.') frac[--l] = 0;
    snprintf(out, n, "%s%s", frac, unit == 1000 ? "µs" : "ms");
  } else {
    long long s = ns / 1000000000LL, h = s / 3600, m = s / 60 % 60;
    go_seconds(ns % 60000000000LL, frac, sizeof frac);
    if (h) snprintf(out, n, "%lldh%lldm%ss", h, m, frac);
    else if (m) snprintf(out, n, "%lldm%ss", m, frac);
    else snprintf(out, n, "%ss", frac);
  }
}

static void resp_write(struct resp *r, const char *p, size_t n) {
  if (r->len + n + 1 > r->cap) {
    r->cap = (r->len + n + 1) * 2;
    r->body = realloc(r->body, r->cap);
  }
  memcpy(r->body + r->len, p, n);
  r->len += n;
  r->body[r->len] = 0;
}

static void resp_printf(struct resp *r, const char *fmt, ...) {
  char tmp[8192];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) resp_write(r, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void resp_header(struct resp *r, const char *name, const char *value) {
  size_t used = strlen(r->headers);
  snprintf(r->headers + used, sizeof r->headers - used, "%s: %s\r\n", name, value);
}

static int hexval(int c) {
  return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* URL-decodes (`%XX`, `+` as space) src[0..n) into out. */
static void url_decode(const char *src, size_t n, char *out, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < n && o + 1 < cap; i++) {
    if (src[i] == '%' && i + 2 < n && hexval(src[i + 1]) >= 0 && hexval(src[i + 2]) >= 0) {
      out[o++] = (char)(hexval(src[i + 1]) * 16 + hexval(src[i + 2]));
      i += 2;
    } else out[o++] = src[i] == '+' ? ' ' : src[i];
  }
  out[o] = 0;
}

/* The first value of query parameter name, decoded; "" when absent. Returns 1 when present. */
static int query_get(const char *query, const char *name, char *out, size_t cap) {
  size_t nl = strlen(name);
  out[0] = 0;
  for (const char *p = query; p && *p;) {
    const char *amp = strchr(p, '&');
    size_t len = amp ? (size_t)(amp - p) : strlen(p);
    const char *eq = memchr(p, '=', len);
    size_t klen = eq ? (size_t)(eq - p) : len;
    char key[256];
    url_decode(p, klen, key, sizeof key);
    if (strlen(key) == nl && !memcmp(key, name, nl)) {
      if (eq) url_decode(eq + 1, len - klen - 1, out, cap);
      return 1;
    }
    p = amp ? amp + 1 : NULL;
  }
  return 0;
}

static const char *status_text(int code) {
  switch (code) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 412: return "Precondition Failed";
    case 417: return "Expectation Failed";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "status code";
  }
}

/* Go's http.DetectContentType, for the bodies agnhost writes. */
static const char *sniff(const char *body, size_t len) {
  size_t i = 0;
  while (i < len && isspace((unsigned char)body[i])) i++;
  if (i < len && body[i] == '<') return "text/html; charset=utf-8";
  for (size_t j = 0; j < len && j < 512; j++)
    if ((unsigned char)body[j] < 0x20 && !isspace((unsigned char)body[j])) return "application/octet-stream";
  return "text/plain; charset=utf-8";
}

typedef void (*http_handler)(struct req *, struct resp *);

static http_handler http_current;

/* Serves one parsed request with http_current: Go's response head (status, handler headers, Date,
 * Content-Length, sniffed Content-Type, Connection: close when the connection ends). */
static int http_on_request(struct th_conn *c, struct th_request *r) {
  if (r->proto < c->buf || r->proto > c->buf + TH_BUF) return -1; /* no version: th's implied HTTP/0.9 */
  struct req rq;
  memset(&rq, 0, sizeof rq);
  char target[4096];
  snprintf(rq.method, sizeof rq.method, "%s", r->method);
  snprintf(rq.proto, sizeof rq.proto, "%s", r->proto);
  snprintf(target, sizeof target, "%s", r->target);
  char *q = strchr(target, '?');
  if (q) *q++ = 0;
  url_decode(target, strlen(target), rq.path, sizeof rq.path);
  snprintf(rq.query, sizeof rq.query, "%s", q ? q : "");
  snprintf(rq.peer, sizeof rq.peer, "%s:%d", c->peer_ip, c->peer_port);
  struct resp rs;
  memset(&rs, 0, sizeof rs);
  rs.status = 200;
  int keep = r->keep_alive;
  http_current(&rq, &rs);
  if (rs.close) keep = 0;
  char date[64], head[2048];
  th_http_date(date, sizeof date, time(NULL));
  int hn = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\n%sDate: %s\r\nContent-Length: %zu\r\n", rs.status, status_text(rs.status), rs.headers, date, rs.len);
  if (rs.len && !rs.no_body_type && !strcasestr(rs.headers, "Content-Type:"))
    hn += snprintf(head + hn, sizeof head - (size_t)hn, "Content-Type: %s\r\n", sniff(rs.body, rs.len));
  if (!keep && !strcasestr(rs.headers, "Connection:")) hn += snprintf(head + hn, sizeof head - (size_t)hn, "Connection: close\r\n");
  hn += snprintf(head + hn, sizeof head - (size_t)hn, "\r\n");
  int bad = th_send(c, head, (size_t)hn, strcmp(rq.method, "HEAD") ? rs.body : NULL, strcmp(rq.method, "HEAD") ? rs.len : 0);
  free(rs.body);
  return bad || !keep ? -1 : 0;
}

static int tcp_listen(int port) {
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(ls, SOMAXCONN) < 0) return -1;
  return ls;
}

static void peer_string(int fd, char *out, size_t n) {
  struct sockaddr_in peer;
  socklen_t len = sizeof peer;
  char ip[INET_ADDRSTRLEN] = "?";
  if (getpeername(fd, (struct sockaddr *)&peer, &len) == 0) inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
  snprintf(out, n, "%s:%d", ip, ntohs(peer.sin_port));
}

/* Serves HTTP on listener ls (made non-blocking) until *stop becomes non-zero (a signal handler sets it). */
static void http_serve(int ls, http_handler handler, volatile int *stop) {
  static struct th_server server;
  struct sockaddr_in local;
  socklen_t len = sizeof local;
  fcntl(ls, F_SETFL, O_NONBLOCK);
  server.listener_ports[0] = getsockname(ls, (struct sockaddr *)&local, &len) == 0 ? ntohs(local.sin_port) : 0;
  server.listeners[0] = ls;
  server.nlisteners = 1;
  server.handler = http_on_request;
  server.stop = stop;
  http_current = handler;
  th_serve(&server);
}

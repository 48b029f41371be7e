// http-echo: Tabernetes' WASI build of hashicorp/http-echo. Serves `-text` (or $ECHO_TEXT) plus a newline
// on every path, `{"status":"ok"}` on /health, with status `-status-code` (default 200), on `-listen`
// (default :5678). HTTP/1.1 with keep-alive; many connections at once (poll). Logs each request on stdout
// in http-echo's format. SIGINT/SIGTERM: exits 2, as the Go program does.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tabernetes.h"
#include "tabernetes_socket.h"

#define MAX_CONNS 128
#define BUF 16384

struct conn {
  int fd;
  size_t len;
  char peer[32];
  char buf[BUF];
};

static const char *text;
static int status = 200;
static volatile int stopping;
static struct conn *conns[MAX_CONNS];
static int nconns;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static const char *reason(int code) {
  switch (code) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 418: return "I'm a teapot";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

static void logf_now(char *out, size_t n, const char *fmt) {
  time_t now = time(NULL);
  strftime(out, n, fmt, gmtime(&now));
}

static int send_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = send(fd, p, n, 0);
    if (w < 0 && errno == EAGAIN) {
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

/* A header's value (case-insensitive name) in the request head, copied into out; "" when absent. */
static void header(const char *head, const char *name, char *out, size_t n) {
  size_t len = strlen(name);
  out[0] = 0;
  for (const char *line = strchr(head, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
    const char *h = line + 1;
    if (!strncasecmp(h, name, len) && h[len] == ':') {
      h += len + 1;
      while (*h == ' ') h++;
      size_t i = 0;
      while (h[i] && h[i] != '\r' && i + 1 < n) out[i] = h[i], i++;
      out[i] = 0;
      return;
    }
  }
}

/* Handles every complete request buffered on c; returns -1 to close the connection. */
static int serve(struct conn *c) {
  for (;;) {
    c->buf[c->len] = 0;
    /* The head ends at an empty line; bare LF line ends are accepted, as Go's net/http does. */
    char *end = NULL;
    size_t skip = 0;
    for (char *nl = strchr(c->buf, '\n'); nl; nl = strchr(nl + 1, '\n')) {
      if (nl[1] == '\n') { end = nl; skip = 2; break; }
      if (nl[1] == '\r' && nl[2] == '\n') { end = nl; skip = 3; break; }
    }
    if (!end) return c->len >= BUF - 1 ? -1 : 0;
    *end = 0;
    char method[16] = "", path[1024] = "", proto[16] = "";
    if (sscanf(c->buf, "%15s %1023s %15s", method, path, proto) != 3) return -1;
    char host[256], agent[256], connection[64], clen[32];
    header(c->buf, "Host", host, sizeof host);
    header(c->buf, "User-Agent", agent, sizeof agent);
    header(c->buf, "Connection", connection, sizeof connection);
    header(c->buf, "Content-Length", clen, sizeof clen);
    size_t used = (size_t)(end + skip - c->buf) + (size_t)atol(clen);
    if (used > c->len) return used >= BUF ? -1 : 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *q = strchr(path, '?');
    if (q) *q = 0;
    char body[4096];
    int code = status;
    if (!strcmp(path, "/health")) snprintf(body, sizeof body, "{\"status\":\"ok\"}\n");
    else snprintf(body, sizeof body, "%s\n", text);
    int keep = !strcasecmp(proto, "HTTP/1.1") ? strcasecmp(connection, "close") != 0 : strcasecmp(connection, "keep-alive") == 0;
    char date[64], head[512];
    logf_now(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT");
    int hn = snprintf(head, sizeof head,
                      "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\nContent-Type: text/plain; charset=utf-8\r\nDate: %s\r\n%sX-App-Name: http-echo\r\nX-App-Version: 1.0.0\r\n\r\n",
                      code, reason(code), strlen(body), date, keep ? "" : "Connection: close\r\n");
    int bad = send_all(c->fd, head, (size_t)hn) || (strcmp(method, "HEAD") && send_all(c->fd, body, strlen(body)));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (strcmp(path, "/health")) {
      char when[32];
      logf_now(when, sizeof when, "%Y/%m/%d %H:%M:%S");
      long us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
      printf("%s %s %s \"%s %s %s\" %d %zu \"%s\" %ldµs\n", when, host, c->peer, method, path, proto, code, strlen(body), agent, us);
    }
    memmove(c->buf, c->buf + used, c->len - used);
    c->len -= used;
    if (bad || !keep) return -1;
  }
}

static void drop(int i) {
  close(conns[i]->fd);
  free(conns[i]);
  conns[i] = conns[--nconns];
}

int main(int argc, char **argv) {
  const char *listen_at = ":5678";
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '-' && a[1] == '-') a++;
    const char *eq = strchr(a, '=');
    size_t n = eq ? (size_t)(eq - a) : strlen(a);
    const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
    if (!strncmp(a, "-version", n) && n == 8) {
      fprintf(stderr, "http-echo v1.0.0 (Tabernetes WASI build)\n");
      return 0;
    }
    int known = (n == 5 && !strncmp(a, "-text", 5)) || (n == 7 && !strncmp(a, "-listen", 7)) || (n == 12 && !strncmp(a, "-status-code", 12));
    if (a[0] != '-') {
      fprintf(stderr, "Too many arguments!\n");
      return 127;
    }
    if (!known || !val) {
      fprintf(stderr, "flag provided but not defined: %.*s\n", (int)n, a);
      return 2;
    }
    if (!eq) i++;
    if (a[1] == 't') text = val;
    else if (a[1] == 'l') listen_at = val;
    else status = atoi(val);
  }
  if (!text || !*text) text = getenv("ECHO_TEXT");
  if (!text || !*text) {
    fprintf(stderr, "Missing -text option OR ENV var TEXT is empty!\n");
    return 127;
  }
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  const char *colon = strrchr(listen_at, ':');
  int port = atoi(colon ? colon + 1 : listen_at);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  if (colon && colon != listen_at) {
    char hostpart[256];
    snprintf(hostpart, sizeof hostpart, "%.*s", (int)(colon - listen_at), listen_at);
    uint32_t ip;
    if (tabernetes_resolve(hostpart, &ip)) {
      fprintf(stderr, "[ERR] server exited with: listen tcp %s: lookup %s: no such host\n", listen_at, hostpart);
      return 1;
    }
    addr.sin_addr.s_addr = htonl(ip);
  }
  char when[32];
  logf_now(when, sizeof when, "%Y/%m/%d %H:%M:%S");
  fprintf(stderr, "%s [INFO] server is listening on %s\n", when, listen_at);
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(ls, SOMAXCONN) < 0) {
    fprintf(stderr, "%s [ERR] server exited with: listen tcp %s: bind: %s\n", when, listen_at, strerror(errno));
    return 1;
  }
  struct pollfd fds[MAX_CONNS + 1];
  while (!stopping) {
    fds[0].fd = ls;
    fds[0].events = nconns < MAX_CONNS ? POLLIN : 0;
    for (int i = 0; i < nconns; i++) fds[i + 1].fd = conns[i]->fd, fds[i + 1].events = POLLIN;
    if (poll(fds, (nfds_t)nconns + 1, -1) < 0) continue;
    for (int i = nconns - 1; i >= 0; i--) {
      if (!(fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      struct conn *c = conns[i];
      ssize_t got = recv(c->fd, c->buf + c->len, BUF - 1 - c->len, 0);
      if (got < 0 && errno == EAGAIN) continue;
      if (got <= 0) {
        drop(i);
        continue;
      }
      c->len += (size_t)got;
      if (serve(c) < 0) drop(i);
    }
    if (fds[0].revents & POLLIN) {
      struct sockaddr_in peer;
      socklen_t len = sizeof peer;
      int fd = accept(ls, (struct sockaddr *)&peer, &len);
      if (fd < 0) continue;
      fcntl(fd, F_SETFL, O_NONBLOCK);
      struct conn *c = calloc(1, sizeof *c);
      c->fd = fd;
      char ip[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
      snprintf(c->peer, sizeof c->peer, "%s:%d", ip, ntohs(peer.sin_port));
      conns[nconns++] = c;
    }
  }
  logf_now(when, sizeof when, "%Y/%m/%d %H:%M:%S");
  fprintf(stderr, "%s [INFO] received interrupt, shutting down...\n", when);
  return 2;
}

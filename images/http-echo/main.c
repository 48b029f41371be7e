// http-echo: Tabernetes' WASI build of hashicorp/http-echo. Serves `-text` (or $ECHO_TEXT) plus a newline
// on every path, `{"status":"ok"}` on /health, with status `-status-code` (default 200), on `-listen`
// (default :5678). HTTP/1.1 with keep-alive; many connections at once (poll). Logs each request on stdout
// in http-echo's format. SIGINT/SIGTERM: exits 2, as the Go program does. The connection loop is
// tabernetes_http.h's; a request without a protocol version, or that cannot be parsed, is closed unanswered.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tabernetes.h"
#define TH_MAX_CONNS 128
#include "tabernetes_http.h"

static const char *text;
static int status = 200;
static volatile int stopping;

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

/* One request: the text (or /health's JSON) with -status-code; logged unless it is /health. */
static int handle(struct th_conn *c, struct th_request *r) {
  if (r->proto < c->buf || r->proto > c->buf + TH_BUF) return -1; /* no version: th's implied HTTP/0.9 */
  const char *host = th_header(r, "Host"), *agent = th_header(r, "User-Agent");
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  char body[4096];
  int code = status;
  if (!strcmp(r->path, "/health")) snprintf(body, sizeof body, "{\"status\":\"ok\"}\n");
  else snprintf(body, sizeof body, "%s\n", text);
  char date[64], head[512];
  logf_now(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT");
  int hn = snprintf(head, sizeof head,
                    "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\nContent-Type: text/plain; charset=utf-8\r\nDate: %s\r\n%sX-App-Name: http-echo\r\nX-App-Version: 1.0.0\r\n\r\n",
                    code, reason(code), strlen(body), date, r->keep_alive ? "" : "Connection: close\r\n");
  int bad = th_send(c, head, (size_t)hn, body, strcmp(r->method, "HEAD") ? strlen(body) : 0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (strcmp(r->path, "/health")) {
    char when[32];
    logf_now(when, sizeof when, "%Y/%m/%d %H:%M:%S");
    long us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
    printf("%s %.255s %s:%d \"%s %.1023s %s\" %d %zu \"%.255s\" %ldµs\n", when, host ? host : "", c->peer_ip, c->peer_port, r->method, r->path, r->proto, code,
           strlen(body), agent ? agent : "", us);
  }
  return bad ? -1 : 0;
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
  char hostpart[256] = "";
  if (colon && colon != listen_at) {
    snprintf(hostpart, sizeof hostpart, "%.*s", (int)(colon - listen_at), listen_at);
    uint32_t ip;
    if (tabernetes_resolve(hostpart, &ip)) {
      fprintf(stderr, "[ERR] server exited with: listen tcp %s: lookup %s: no such host\n", listen_at, hostpart);
      return 1;
    }
  }
  char when[32];
  logf_now(when, sizeof when, "%Y/%m/%d %H:%M:%S");
  fprintf(stderr, "%s [INFO] server is listening on %s\n", when, listen_at);
  static struct th_server server;
  server.handler = handle;
  server.stop = &stopping;
  if (th_listen(&server, hostpart, port) < 0) {
    fprintf(stderr, "%s [ERR] server exited with: listen tcp %s: bind: %s\n", when, listen_at, strerror(errno));
    return 1;
  }
  th_serve(&server);
  logf_now(when, sizeof when, "%Y/%m/%d %H:%M:%S");
  fprintf(stderr, "%s [INFO] received interrupt, shutting down...\n", when);
  return 2;
}

// hello-app: Tabernetes' WASI build of gcr.io/google-samples/hello-app (GoogleCloudPlatform's Go sample).
// Included by hello-app-1.c / hello-app-2.c, which define HELLO_VERSION and HELLO_TAG.
// Answers every path with "Hello, world!\nVersion: <v>\nHostname: <$HOSTNAME>\n" on $PORT (default 8080),
// logging "Server listening on port N" at start and "Serving request: <path>" per request (Go's log format,
// on stderr). SIGTERM/SIGINT end it (exit 2, as an unhandled Go signal does).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tabernetes.h"
#include "tabernetes_http.h"

static volatile int stopping;
static const char *hostname;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static void go_log(const char *fmt, const char *arg) {
  char when[32];
  time_t now = time(NULL);
  strftime(when, sizeof when, "%Y/%m/%d %H:%M:%S", gmtime(&now));
  fprintf(stderr, "%s ", when);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
}

static int handle(struct th_conn *c, struct th_request *r) {
  go_log("Serving request: %s", r->path);
  char body[512], head[512], date[64];
  int bn = snprintf(body, sizeof body, "Hello, world!\nVersion: %s\nHostname: %s\n", HELLO_VERSION, hostname);
  th_http_date(date, sizeof date, time(NULL));
  int hn = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nDate: %s\r\nContent-Length: %d\r\nContent-Type: text/plain; charset=utf-8\r\n%s\r\n", date, bn,
                    r->keep_alive ? "" : "Connection: close\r\n");
  return th_send(c, head, (size_t)hn, strcmp(r->method, "HEAD") ? body : NULL, strcmp(r->method, "HEAD") ? (size_t)bn : 0);
}

static void bad_request(struct th_conn *c, int code) {
  char head[256];
  int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n%d %s", code, th_reason(code), code, th_reason(code));
  th_send_all(c->fd, head, (size_t)n);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  hostname = getenv("HOSTNAME");
  if (!hostname) hostname = "localhost";
  const char *port = getenv("PORT");
  if (!port || !*port) port = "8080";
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  go_log("%s", "Tabernetes WASI build of gcr.io/google-samples/hello-app:" HELLO_TAG);
  go_log("Server listening on port %s", port);
  static struct th_server server;
  server.handler = handle;
  server.stop = &stopping;
  server.error_hook = bad_request;
  if (th_listen(&server, NULL, atoi(port)) < 0) {
    char msg[128];
    snprintf(msg, sizeof msg, "listen tcp :%s: bind: %s", port, strerror(errno));
    go_log("%s", msg);
    return 1;
  }
  th_serve(&server);
  return 2;
}

// kubernetes-bootcamp: Tabernetes' WASI build of the Kubernetes tutorial's app (gcr.io/google-samples/
// kubernetes-bootcamp:v1, jocatalin/kubernetes-bootcamp:v2), a tiny Node.js server in the real image.
// Included by bootcamp-v1.c / bootcamp-v2.c, which define BOOTCAMP_V and BOOTCAMP_IMAGE.
// Port 8080, every path: "Hello Kubernetes bootcamp! | Running on: <$HOSTNAME> | v=N\n" (text/plain, chunked
// as Node sends it). Logs on stdout as server.js's console.log does. `node -v` prints the Node version.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tabernetes.h"
#include "tabernetes_http.h"

static volatile int stopping;
static const char *host;
static unsigned long requests;
static struct timespec started;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

/* JavaScript's Date#toISOString: 2026-11-25T20:01:02.123Z */
static void iso_now(char *out, size_t n, struct timespec *ts) {
  clock_gettime(CLOCK_REALTIME, ts);
  char base[32];
  strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", gmtime(&ts->tv_sec));
  snprintf(out, n, "%s.%03ldZ", base, ts->tv_nsec / 1000000);
}

static int handle(struct th_conn *c, struct th_request *r) {
  char body[512], head[512], date[64], msg[600];
  int bn = snprintf(body, sizeof body, "Hello Kubernetes bootcamp! | Running on: %s | v=%d\n", host, BOOTCAMP_V);
  th_http_date(date, sizeof date, time(NULL));
  int head_only = !strcmp(r->method, "HEAD");
  int chunked = !strcmp(r->proto, "HTTP/1.1") && !head_only;
  int hn = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: %s\r\nConnection: %s\r\n%s\r\n", date,
                    r->keep_alive ? "keep-alive" : "close", chunked ? "Transfer-Encoding: chunked\r\n" : "");
  int mn = head_only ? 0 : chunked ? snprintf(msg, sizeof msg, "%x\r\n%s\r\n0\r\n\r\n", bn, body) : snprintf(msg, sizeof msg, "%s", body);
  int rc = th_send(c, head, (size_t)hn, msg, (size_t)mn);
  struct timespec now;
  char when[40];
  iso_now(when, sizeof when, &now);
  long ms = (now.tv_sec - started.tv_sec) * 1000L + (now.tv_nsec - started.tv_nsec) / 1000000L;
  char uptime[32];
  snprintf(uptime, sizeof uptime, "%ld.%03ld", ms / 1000, ms % 1000);
  char *dot = strchr(uptime, '.'), *e = uptime + strlen(uptime);
  while (e > dot && (e[-1] == '0' || e[-1] == '.')) *--e = 0; /* JS number formatting: 1.5, 2 */
  printf("Running On: %s | Total Requests: %lu | App Uptime: %s seconds | Log Time: %s\n", host, ++requests, uptime, when);
  return rc;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version"))) {
    printf("v6.3.1 (Tabernetes WASI build of %s)\n", BOOTCAMP_IMAGE);
    return 0;
  }
  host = getenv("HOSTNAME");
  if (!host) host = "undefined";
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  fprintf(stderr, "Tabernetes WASI build of %s\n", BOOTCAMP_IMAGE);
  static struct th_server server;
  server.handler = handle;
  server.stop = &stopping;
  server.idle_ms = 120000; /* Node's default server.timeout */
  if (th_listen(&server, NULL, 8080) < 0) {
    fprintf(stderr, "Error: listen EADDRINUSE :::8080\n");
    return 1;
  }
  char when[40];
  iso_now(when, sizeof when, &started);
  printf("Kubernetes Bootcamp App Started At: %s | Running On:  %s \n\n", when, host);
  th_serve(&server);
  return 0;
}

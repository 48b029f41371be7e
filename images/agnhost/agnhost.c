// agnhost: Tabernetes' WASI build of registry.k8s.io/e2e-test-images/agnhost (2.40). One binary with the
// subcommands tutorials and probes use: netexec, serve-hostname, liveness, test-webserver, pause. Flags are
// pflag-style (`--port=80`, `--port 80`); logs are Go's (`2006/01/02 15:04:05 msg` on stderr).
#define _GNU_SOURCE
#include <dirent.h>
#include <sys/stat.h>
#include "http.h"
#include "netexec.h"

#define AGNHOST_VERSION "2.40"

static int flag_int(const char *name, const char *value, int *out) {
  char *end;
  long v = strtol(value, &end, 10);
  if (!*value || *end) {
    fprintf(stderr, "Error: invalid argument \"%s\" for \"--%s\" flag: strconv.ParseInt: parsing \"%s\": invalid syntax\n", value, name, value);
    return -1;
  }
  *out = (int)v;
  return 0;
}

/* ---- liveness: /healthz is 200 "ok" for the first 10 s, then 500 "error: <seconds>" ---- */
static struct timespec started;

static long long since_start_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long long)(now.tv_sec - started.tv_sec) * 1000000000LL + (now.tv_nsec - started.tv_nsec);
}

static void liveness_handler(struct req *rq, struct resp *rs) {
  long long ns = since_start_ns();
  char text[64];
  if (!strcmp(rq->path, "/healthz")) {
    if (ns > 10000000000LL) {
      rs->status = 500;
      go_seconds(ns, text, sizeof text);
      resp_printf(rs, "error: %s", text);
    } else resp_printf(rs, "ok");
  } else if (!strcmp(rq->path, "/started")) {
    go_duration(ns, text, sizeof text);
    resp_printf(rs, "%s", text);
  } else if (!strcmp(rq->path, "/redirect")) {
    char loc[1024];
    query_get(rq->query, "loc", loc, sizeof loc);
    rs->status = 302;
    resp_header(rs, "Content-Type", "text/html; charset=utf-8");
    resp_header(rs, "Location", loc);
    if (!strcmp(rq->method, "GET")) resp_printf(rs, "<a href=\"%s\">Found</a>.\n\n", loc);
  } else {
    http_error(rs, 404, "404 page not found");
  }
}

/* ---- serve-hostname: the hostname on every path ---- */
static int sh_close;

static void hostname_handler(struct req *rq, struct resp *rs) {
  golog("HTTP request from %s", rq->peer);
  if (sh_close) resp_header(rs, "Connection", "close"), rs->close = 1;
  resp_printf(rs, "%s", hostname_of());
}

static volatile int sh_stop;
static void sh_on_term(int sig) {
  (void)sig;
  sh_stop = 1;
}

static int serve_hostname(int port, int tcp, int http) {
  if (http && tcp) {
    golog("Can't server TCP/UDP mode and HTTP mode at the same time");
    return 1;
  }
  signal(SIGTERM, sh_on_term);
  int ls = tcp_listen(port);
  if (ls < 0) {
    golog("listen tcp :%d: bind: address already in use", port);
    return 1;
  }
  golog("Serving on port %d.", port);
  if (http) http_serve(ls, hostname_handler, &sh_stop);
  while (tcp && !sh_stop) {
    int fd = accept(ls, NULL, NULL);
    if (fd < 0) continue;
    char peer[48];
    peer_string(fd, peer, sizeof peer);
    golog("TCP request from %s", peer);
    th_send_all(fd, hostname_of(), strlen(hostname_of()));
    close(fd);
  }
  while (!http && !tcp && !sh_stop) sleep_ms(1000);
  golog("Shutting down after receiving signal: terminated.");
  golog("Awaiting pod deletion.");
  signal(SIGTERM, SIG_IGN);
  sleep_ms(60000);
  return 0;
}

/* ---- test-webserver: Go's http.FileServer over / ---- */
static const char *mime_of(const char *path) {
  const char *dot = strrchr(path, '.');
  if (!dot) return NULL;
  if (!strcmp(dot, ".html") || !strcmp(dot, ".htm")) return "text/html; charset=utf-8";
  if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
  if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
  if (!strcmp(dot, ".json")) return "application/json";
  if (!strcmp(dot, ".txt")) return "text/plain; charset=utf-8";
  return NULL;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void webserver_handler(struct req *rq, struct resp *rs) {
  resp_header(rs, "Access-Control-Allow-Credentials", "true");
  resp_header(rs, "Access-Control-Allow-Headers", "DNT,X-Mx-ReqToken,Keep-Alive,User-Agent,X-Requested-With,Cache-Control,Content-Type");
  resp_header(rs, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  resp_header(rs, "Access-Control-Allow-Origin", "*");
  resp_header(rs, "Cache-Control", "private");
  struct stat st;
  const char *path = rq->path[0] ? rq->path : "/";
  if (stat(path, &st) < 0) return http_error(rs, 404, "404 page not found");
  size_t pl = strlen(path);
  if (S_ISDIR(st.st_mode)) {
    if (path[pl - 1] != '/') {
      char loc[2100];
      const char *base = strrchr(path, '/');
      snprintf(loc, sizeof loc, "%s/", base ? base + 1 : path);
      rs->status = 301;
      resp_header(rs, "Location", loc);
      return;
    }
    DIR *d = opendir(path);
    if (!d) return http_error(rs, 500, "Error reading directory");
    char *names[512];
    int n = 0;
    for (struct dirent *e; n < 512 && (e = readdir(d));) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char full[2400];
      snprintf(full, sizeof full, "%s%s", path, e->d_name);
      struct stat es;
      int dir = stat(full, &es) == 0 && S_ISDIR(es.st_mode);
      names[n] = malloc(strlen(e->d_name) + 2);
      sprintf(names[n++], "%s%s", e->d_name, dir ? "/" : "");
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    resp_header(rs, "Content-Type", "text/html; charset=utf-8");
    resp_printf(rs, "<!doctype html>\n<meta name=\"viewport\" content=\"width=device-width\">\n<pre>\n");
    for (int i = 0; i < n; i++) resp_printf(rs, "<a href=\"%s\">%s</a>\n", names[i], names[i]), free(names[i]);
    resp_printf(rs, "</pre>\n");
    return;
  }
  FILE *f = fopen(path, "rb");
  if (!f) return http_error(rs, 403, "403 Forbidden");
  char buf[8192];
  for (size_t got; (got = fread(buf, 1, sizeof buf, f)) > 0;) resp_write(rs, buf, got);
  fclose(f);
  const char *type = mime_of(path);
  if (type) resp_header(rs, "Content-Type", type);
  char lm[64];
  strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", gmtime(&st.st_mtime));
  resp_header(rs, "Last-Modified", lm);
}

/* ---- pause: prints Paused, exits 2 on SIGTERM and 1 on SIGINT ---- */
static void pause_signal(int sig) { exit(sig == SIGINT ? 1 : 2); }

static int pause_main(void) {
  printf("Paused\n");
  fflush(stdout);
  signal(SIGTERM, pause_signal);
  signal(SIGINT, pause_signal);
  for (;;) sleep_ms(3600 * 1000);
}

#include "grpc.h"

static void usage(void) {
  printf("Tabernetes WASI build of agnhost %s (wasm32-wasip1).\n\nUsage:\n  app [command]\n\nAvailable Commands:\n"
         "  grpc-health-checking Starts a simple grpc health checking endpoint\n"
         "  liveness        Starts a server that is alive for 10 seconds\n"
         "  netexec         Creates HTTP(S), UDP, and (optionally) SCTP servers with various endpoints\n"
         "  pause           Pauses the execution\n"
         "  serve-hostname  Serves the hostname\n"
         "  test-webserver  Starts a simple HTTP fileserver\n\n"
         "Flags:\n  -h, --help      help for app\n  -v, --version   version for app\n",
         AGNHOST_VERSION);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  clock_gettime(CLOCK_MONOTONIC, &started);
  if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) return usage(), 0;
  if (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version")) return printf("app version %s\n", AGNHOST_VERSION), 0;
  const char *cmd = argv[1];
  int port = !strcmp(cmd, "serve-hostname") ? 9376 : 80, tcp = 0, http = 1;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-' || a[1] != '-') {
      fprintf(stderr, "Error: unknown command \"%s\" for \"app %s\"\n", a, cmd);
      return 1;
    }
    char name[64];
    const char *eq = strchr(a, '=');
    snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - a - 2 : (long)strlen(a) - 2), a + 2);
    int boolean = !strcmp(name, "tcp") || !strcmp(name, "udp") || !strcmp(name, "http") || !strcmp(name, "close");
    const char *val = eq ? eq + 1 : boolean ? "true" : (i + 1 < argc ? argv[++i] : "");
    int rc = 0;
    if (!strcmp(name, "http-port")) rc = flag_int(name, val, &nx_port);
    else if (!strcmp(name, "udp-port")) rc = flag_int(name, val, &nx_udp_port);
    else if (!strcmp(name, "port")) rc = flag_int(name, val, &port), g_port = port;
    else if (!strcmp(name, "delay-unhealthy-sec")) rc = flag_int(name, val, &g_delay);
    else if (!strcmp(name, "service")) snprintf(g_service, sizeof g_service, "%s", val);
    else if (boolean) {
      int on = !strcmp(val, "true") || !strcmp(val, "1");
      if (name[0] == 't') tcp = on;
      else if (name[0] == 'h') http = on;
      else if (name[0] == 'c') sh_close = on;
    } else if (strcmp(name, "sctp-port") && strcmp(name, "udp-listen-addresses") && strcmp(name, "http-override") &&
               strcmp(name, "tls-cert-file") && strcmp(name, "tls-private-key-file")) {
      fprintf(stderr, "Error: unknown flag: --%s\n", name);
      return 1;
    }
    if (rc) return 1;
  }
  if (!strcmp(cmd, "netexec")) return netexec_main();
  if (!strcmp(cmd, "serve-hostname")) return serve_hostname(port, tcp, http);
  if (!strcmp(cmd, "pause")) return pause_main();
  if (!strcmp(cmd, "grpc-health-checking")) return grpc_main();
  if (!strcmp(cmd, "liveness") || !strcmp(cmd, "test-webserver")) {
    int p = cmd[0] == 'l' ? 8080 : port;
    signal(SIGTERM, go_default_signal);
    int ls = tcp_listen(p);
    if (ls < 0) {
      golog("listen tcp :%d: bind: address already in use", p);
      return 1;
    }
    http_serve(ls, cmd[0] == 'l' ? liveness_handler : webserver_handler, &nx_stop);
    return 0;
  }
  fprintf(stderr, "Error: unknown command \"%s\" for \"app\"\nRun 'app --help' for usage.\n", cmd);
  return 1;
}

// nginx: Tabernetes' WASI build of docker.io/library/nginx. One process serving HTTP/1.1 with poll (see
// tabernetes_http.h); configured by /etc/nginx/nginx.conf and its `include`s (conf.d/*.conf, mime.types).
// Honoured: listen (port, addr:port, default_server), server_name, root, alias, index, location (prefix,
// `^~`, `=` exact, `~`/`~*` regex, in nginx's order: nginx-location.h), return (code [text|url], url),
// try_files, error_page, autoindex, default_type, types, log_format, access_log (off or stdout),
// server_tokens, proxy_pass and its proxy_* companions (nginx-proxy.h; many clients at once through
// nginx-upstream.h and the loop of nginx-loop.h). Logs: access log on stdout, error log on stderr, as the
// image links /var/log/nginx/*.log to them. Run as /docker-entrypoint.sh it prints the entrypoint's lines
// first (see nginx-entrypoint.h); as /nginx-ingress-controller it is ingress-nginx's controller image
// (nginx-ingress.h). A changed configuration file (any file read, checked every second) is reloaded as on
// SIGHUP (once no proxied request is in flight); a broken one is reported and the old configuration kept.
// SIGTERM/SIGINT: fast shutdown; SIGQUIT: graceful; exit 0.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <ctype.h>
#include <dirent.h>
#include "tabernetes.h"
#include "tabernetes_http.h"
#include "nginx-conf.h"

#define NGINX_VERSION "1.27.5"
#define NGINX_VER "nginx/" NGINX_VERSION

static volatile int stopping, stop_signal;
static struct ncf conf, *http;
struct server { struct ncf *b; int ports[8], dflt[8], nports; };
static struct server servers[64];
static int nservers;

#include "nginx-log.h"
#include "nginx-location.h"
#include "nginx-rewrite.h"
#include "nginx-serve.h"
#include "nginx-handle.h"
#include "nginx-proxy.h"
#include "nginx-upstream.h"
#include "nginx-loop.h"
#include "nginx-entrypoint.h"
#include "nginx-ingress.h"

static void on_signal(int sig) {
  stop_signal = sig;
  stopping = 1;
}

static int parse_listen(const char *arg, int *port) {
  if (arg[0] == '[') return -1; /* IPv6: no IPv6 in Tabernetes */
  const char *colon = strrchr(arg, ':');
  *port = atoi(colon ? colon + 1 : arg);
  if (!colon && !strchr(arg, '.') && *port == 0) *port = 80; /* "localhost" style: port 80 */
  return 0;
}

/* Parses path into a fresh tree; only on success does it replace the served configuration (a reload with a
 * broken file keeps the old one, as nginx does). */
static int load_config(const char *path) {
  struct ncf next;
  memset(&next, 0, sizeof next);
  for (int i = 0; i < ncf_nfiles; i++) free(ncf_files[i]);
  ncf_nfiles = 0;
  if (ncf_parse_file(path, &next)) {
    ncf_free(&next);
    return -1;
  }
  ncf_free(&conf);
  conf = next;
  nservers = 0;
  memset(servers, 0, sizeof servers);
  http = ncf_find(&conf, "http");
  for (int i = 0; http && i < http->nkids && nservers < 64; i++) {
    struct ncf *s = &http->kids[i];
    if (strcmp(s->name, "server") || !s->block) continue;
    struct server *sv = &servers[nservers++];
    sv->b = s;
    for (int j = 0; j < s->nkids; j++) {
      struct ncf *d = &s->kids[j];
      int port;
      if (strcmp(d->name, "listen") || !d->nargs || parse_listen(d->args[0], &port) || sv->nports == 8) continue;
      sv->dflt[sv->nports] = d->nargs > 1 && !strcmp(d->args[1], "default_server");
      sv->ports[sv->nports++] = port;
    }
    if (!sv->nports) sv->ports[sv->nports++] = 80;
  }
  return 0;
}

/* keepalive_timeout in ms ("65", "65s", "500ms"); nginx's default 75 s when d is NULL. */
static int keepalive_ms(struct ncf *d) {
  if (!d || !d->nargs) return 75000;
  return atoi(d->args[0]) * (strstr(d->args[0], "ms") ? 1 : 1000);
}

static void emerg(const char *msg) {
  err_log("emerg", "%s", msg);
  fprintf(stderr, "nginx: [emerg] %s\n", msg);
}

/* Listens on every configured port not yet listened on; -1 after logging nginx's bind() emerg. */
static int listen_all(struct th_server *server) {
  for (int i = 0; i < nservers; i++)
    for (int j = 0; j < servers[i].nports; j++) {
      int port = servers[i].ports[j], seen = 0;
      for (int k = 0; k < server->nlisteners; k++) seen |= server->listener_ports[k] == port;
      if (seen) continue;
      if (th_listen(server, NULL, port) < 0) {
        char msg[128];
        snprintf(msg, sizeof msg, "bind() to 0.0.0.0:%d failed (%d: %s)", port, errno == EADDRINUSE ? 98 : errno, strerror(errno));
        emerg(msg);
        return -1;
      }
    }
  return 0;
}

/* Reload on change: a stamp (inode, size, mtime, following symlinks such as a ConfigMap's ..data) of every
 * file the configuration was read from, as it was when read (ncf_read_stamps); checked by reload_tick at most
 * every second and after each poll round. */
static const char *conf_path;
static long long conf_seen[64 * 3];

static void conf_seen_at_read(void) {
  memset(conf_seen, 0, sizeof conf_seen);
  memcpy(conf_seen, ncf_read_stamps, sizeof(long long) * 3 * (size_t)ncf_nfiles);
}

static void conf_stamp(long long *out) {
  memset(out, 0, sizeof conf_seen);
  for (int i = 0; i < ncf_nfiles; i++) {
    struct stat st;
    if (stat(ncf_files[i], &st)) continue;
    out[i * 3] = (long long)st.st_ino;
    out[i * 3 + 1] = (long long)st.st_size;
    out[i * 3 + 2] = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  }
}

/* The files are stat()ed when a second of the container's clock has passed since the last check, or after 32
 * poll rounds (a clock that does not move: tests' frozen cluster clock), not on every round: each stat is a
 * path walk through the volume server, which dominated the CPU of a request. */
static long long conf_checked_ms;
static int conf_rounds;

static void reload_tick(struct th_server *server) {
  long long now[64 * 3];
  if (npjobs) return; /* proxied requests in flight point into the configuration: reload after them */
  long long t = th_now_ms();
  if (t - conf_checked_ms < 1000 && ++conf_rounds < 32) return;
  conf_checked_ms = t;
  conf_rounds = 0;
  conf_stamp(now);
  if (!memcmp(now, conf_seen, sizeof now)) return;
  err_log("notice", "signal 1 (SIGHUP) received from 1, reconfiguring");
  err_log("notice", "reconfiguring");
  int failed = load_config(conf_path);
  conf_seen_at_read();
  if (failed) {
    emerg(ncf_error);
    return;
  }
  listen_all(server);
  err_log("notice", "using the \"poll\" event method");
  err_log("notice", "start worker processes");
  if (ingress_mode) klog('I', "controller.go:213", "\"Backend successfully reloaded\"");
}

static int nginx_main(int argc, char **argv) {
  const char *conf_file = "/etc/nginx/nginx.conf";
  int test = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-v")) return fprintf(stderr, "nginx version: " NGINX_VER "\n"), 0;
    if (!strcmp(a, "-V")) {
      fprintf(stderr, "nginx version: " NGINX_VER "\nbuilt by clang (Tabernetes WASI build, wasm32-wasip1)\n"
                      "configure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --conf-path=/etc/nginx/nginx.conf "
                      "--error-log-path=/var/log/nginx/error.log --http-log-path=/var/log/nginx/access.log --pid-path=/run/nginx.pid\n");
      return 0;
    }
    if (!strcmp(a, "-t") || !strcmp(a, "-T")) test = 1;
    else if ((!strcmp(a, "-c") || !strcmp(a, "-g") || !strcmp(a, "-p") || !strcmp(a, "-e")) && i + 1 < argc) {
      if (a[1] == 'c') conf_file = argv[i + 1];
      i++;
    } else if (!strcmp(a, "-s")) {
      fprintf(stderr, "nginx: [error] open() \"/run/nginx.pid\" failed (2: No such file or directory)\n");
      return 1;
    } else if (!strcmp(a, "-q")) {
    } else {
      fprintf(stderr, "nginx: invalid option: \"%s\"\n", a[0] == '-' ? a + 1 : a);
      return 1;
    }
  }
  if (load_config(conf_file)) {
    if (test) {
      fprintf(stderr, "nginx: [emerg] %s\nnginx: configuration file %s test failed\n", ncf_error, conf_file);
      return 1;
    }
    emerg(ncf_error);
    return 1;
  }
  if (test) {
    fprintf(stderr, "nginx: the configuration file %s syntax is ok\nnginx: configuration file %s test is successful\n", conf_file, conf_file);
    return 0;
  }
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  signal(SIGQUIT, on_signal);
  static struct th_server server;
  server.handler = handle;
  server.stop = &stopping;
  server.error_hook = bad_request;
  /* One idle timeout for all connections: the shortest non-zero keepalive_timeout of http and the servers. */
  server.idle_ms = keepalive_ms(ncf_find(http, "keepalive_timeout"));
  for (int i = 0; i < nservers; i++) {
    int ms = keepalive_ms(ncf_find(servers[i].b, "keepalive_timeout"));
    if (ms > 0 && ms < server.idle_ms) server.idle_ms = ms;
  }
  if (listen_all(&server)) return 1;
  conf_path = conf_file;
  conf_seen_at_read();
  server.tick = reload_tick;
  server.tick_ms = 1000;
  err_log("notice", "using the \"poll\" event method");
  err_log("notice", "%s", NGINX_VER);
  err_log("notice", "built by clang (Tabernetes WASI build, wasm32-wasip1)");
  err_log("notice", "OS: WASI preview1 (wasm32)");
  err_log("notice", "getrlimit(RLIMIT_NOFILE): 1048576:1048576");
  err_log("notice", "start worker processes");
  ngx_serve(&server);
  if (stop_signal == SIGQUIT) {
    err_log("notice", "signal 3 (SIGQUIT) received, shutting down");
    err_log("notice", "gracefully shutting down");
  } else {
    err_log("notice", "signal %d (%s) received, exiting", stop_signal, stop_signal == SIGINT ? "SIGINT" : "SIGTERM");
  }
  err_log("notice", "exiting");
  err_log("notice", "exit");
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  setvbuf(stderr, NULL, _IOLBF, 0);
  const char *base = strrchr(argv[0], '/');
  base = base ? base + 1 : argv[0];
  if (!strcmp(base, "docker-entrypoint.sh")) return entrypoint(argc, argv);
  if (!strcmp(base, "dumb-init")) { /* the controller image's ENTRYPOINT ["/usr/bin/dumb-init", "--"] */
    int i = 1;
    while (i < argc && argv[i][0] == '-') i++;
    if (i == argc) return fprintf(stderr, "Usage: dumb-init [option] command [[arg] ...]\n"), 1;
    return main(argc - i, argv + i);
  }
  if (!strcmp(base, "nginx-ingress-controller")) return ingress_controller(argc, argv);
  return nginx_main(argc, argv);
}

// nginx-log.h: the error log (stderr, "2026/11/25 20:01:02 [notice] 1#1: ..."), nginx variables ($uri,
// $remote_addr, $http_NAME, ...) and the access log (stdout, log_format; "combined" built in).
#include <stdarg.h>

struct ctx {
  struct th_conn *c;
  struct th_request *r;
  struct server *srv;
  struct ncf *loc;
  char uri[2048];
  int status;
  size_t body_bytes, bytes;
  int in_error; /* serving an error_page: keep status */
  char upstream[600]; /* set while proxying: logged as `upstream: "..."` in request errors */
  char args[1024];    /* arguments set by a rewrite (r->query then points here) */
  int rewritten;      /* a rewrite changed the URI: proxy_pass sends $uri$is_args$args, not the original */
  int skip_server_rewrites; /* a location's `rewrite … last` re-searches locations only */
};

static void err_log(const char *level, const char *fmt, ...) {
  char when[32], msg[1024];
  time_t now = time(NULL);
  strftime(when, sizeof when, "%Y/%m/%d %H:%M:%S", gmtime(&now));
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%s [%s] 1#1: %s\n", when, level, msg);
}

/* An error about a request, with nginx's trailer (client, server, request, host). */
static void req_error(struct ctx *x, const char *level, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  struct ncf *sn = ncf_find(x->srv ? x->srv->b : NULL, "server_name");
  const char *host = th_header(x->r, "Host");
  char hostpart[300] = "";
  if (host) snprintf(hostpart, sizeof hostpart, ", host: \"%s\"", host);
  char up[620] = "";
  if (x->upstream[0]) snprintf(up, sizeof up, ", upstream: \"%s\"", x->upstream);
  err_log(level, "*%lu %s, client: %s, server: %s, request: \"%s %s %s\"%s%s", (unsigned long)x->c->fd, msg, x->c->peer_ip,
          sn && sn->nargs ? sn->args[0] : "", x->r->method, x->r->target, x->r->proto, up, hostpart);
}

/* The value of variable `name` (without '$') into out; returns 0 when nginx would log "-" (unset). */
static int var_value(struct ctx *x, const char *name, char *out, size_t n) {
  struct th_request *r = x->r;
  out[0] = 0;
  if (!strcmp(name, "remote_addr")) snprintf(out, n, "%s", x->c->peer_ip);
  else if (!strcmp(name, "remote_port")) snprintf(out, n, "%d", x->c->peer_port);
  else if (!strcmp(name, "time_local")) {
    time_t now = time(NULL);
    strftime(out, n, "%d/%b/%Y:%H:%M:%S +0000", gmtime(&now));
  } else if (!strcmp(name, "time_iso8601")) {
    time_t now = time(NULL);
    strftime(out, n, "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&now));
  } else if (!strcmp(name, "msec")) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(out, n, "%lld.%03ld", (long long)ts.tv_sec, ts.tv_nsec / 1000000);
  } else if (!strcmp(name, "request")) snprintf(out, n, "%s %s %s", r->method, r->target, r->proto);
  else if (!strcmp(name, "request_method")) snprintf(out, n, "%s", r->method);
  else if (!strcmp(name, "request_uri")) snprintf(out, n, "%s", r->target);
  else if (!strcmp(name, "uri") || !strcmp(name, "document_uri")) snprintf(out, n, "%s", x->uri);
  else if (!strcmp(name, "args") || !strcmp(name, "query_string")) snprintf(out, n, "%s", r->query);
  else if (!strcmp(name, "is_args")) snprintf(out, n, "%s", *r->query ? "?" : "");
  else if (!strcmp(name, "status")) snprintf(out, n, "%03d", x->status);
  else if (!strcmp(name, "body_bytes_sent")) snprintf(out, n, "%zu", x->body_bytes);
  else if (!strcmp(name, "bytes_sent")) snprintf(out, n, "%zu", x->bytes);
  else if (!strcmp(name, "server_protocol")) snprintf(out, n, "%s", r->proto);
  else if (!strcmp(name, "scheme")) snprintf(out, n, "http");
  else if (!strcmp(name, "server_port")) snprintf(out, n, "%d", x->c->local_port);
  else if (!strcmp(name, "server_addr")) snprintf(out, n, "%s", x->c->local_ip);
  else if (!strcmp(name, "hostname")) snprintf(out, n, "%s", getenv("HOSTNAME") ? getenv("HOSTNAME") : "localhost");
  else if (!strcmp(name, "pid")) snprintf(out, n, "1");
  else if (!strcmp(name, "nginx_version")) snprintf(out, n, NGINX_VERSION);
  else if (!strcmp(name, "request_time")) snprintf(out, n, "0.000");
  else if (!strcmp(name, "connection")) snprintf(out, n, "%d", x->c->fd);
  else if (!strcmp(name, "connection_requests")) snprintf(out, n, "%lu", x->c->requests + 1);
  else if (!strcmp(name, "request_length")) snprintf(out, n, "%zu", r->body_len);
  else if (!strcmp(name, "server_name")) {
    struct ncf *sn = ncf_find(x->srv ? x->srv->b : NULL, "server_name");
    snprintf(out, n, "%s", sn && sn->nargs ? sn->args[0] : "");
  } else if (!strcmp(name, "host")) {
    const char *h = th_header(r, "Host");
    snprintf(out, n, "%s", h ? h : x->c->local_ip);
    char *colon = strchr(out, ':');
    if (colon) *colon = 0;
    for (char *p = out; *p; p++) *p = (char)tolower((unsigned char)*p);
  } else if (!strcmp(name, "best_http_host")) {
    const char *h = th_header(r, "Host");
    snprintf(out, n, "%s", h ? h : x->c->local_ip);
  } else if (!strcmp(name, "proxy_add_x_forwarded_for")) {
    const char *f = th_header(r, "X-Forwarded-For");
    if (f) snprintf(out, n, "%s, %s", f, x->c->peer_ip);
    else snprintf(out, n, "%s", x->c->peer_ip);
  } else if (!strncmp(name, "http_", 5) || !strcmp(name, "content_type") || !strcmp(name, "content_length")) {
    char h[128];
    snprintf(h, sizeof h, "%s", strncmp(name, "http_", 5) ? name : name + 5);
    for (char *p = h; *p; p++)
      if (*p == '_') *p = '-';
    const char *v = th_header(r, h);
    if (!v) return 0;
    snprintf(out, n, "%s", v);
  } else return 0;
  return out[0] != 0;
}

/* Expands $name and ${name} in s; unset variables become `unset` ("-" in logs, "" elsewhere). */
static size_t expand(struct ctx *x, const char *s, char *out, size_t n, const char *unset) {
  size_t o = 0;
  while (*s && o + 1 < n) {
    if (*s == '$' && (s[1] == '{' || s[1] == '_' || (s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z'))) {
      char name[128], val[2048];
      size_t k = 0;
      int brace = *++s == '{';
      if (brace) s++;
      while ((*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')) && k + 1 < sizeof name) name[k++] = *s++;
      name[k] = 0;
      if (brace && *s == '}') s++;
      if (!var_value(x, name, val, sizeof val)) snprintf(val, sizeof val, "%s", unset);
      o += (size_t)snprintf(out + o, n - o, "%s", val);
      if (o >= n) o = n - 1;
    } else out[o++] = *s++;
  }
  out[o] = 0;
  return o;
}

/* Finds `name` in the location, then the server, then http (nginx's inheritance). */
static struct ncf *directive(struct ctx *x, const char *name) {
  struct ncf *d = ncf_find(x->loc, name);
  if (!d && x->srv) d = ncf_find(x->srv->b, name);
  if (!d) d = ncf_find(http, name);
  return d;
}

static void access_log(struct ctx *x) {
  struct ncf *al = directive(x, "access_log");
  if (al && al->nargs && !strcmp(al->args[0], "off")) return;
  const char *fmt = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"";
  char custom[2048];
  if (al && al->nargs > 1 && strcmp(al->args[1], "combined")) {
    for (int i = 0; http && i < http->nkids; i++) {
      struct ncf *lf = &http->kids[i];
      if (strcmp(lf->name, "log_format") || lf->nargs < 2 || strcmp(lf->args[0], al->args[1])) continue;
      size_t o = 0;
      for (int j = 1; j < lf->nargs; j++) o += (size_t)snprintf(custom + o, sizeof custom - o, "%s", lf->args[j]);
      fmt = custom;
    }
  }
  char line[4096];
  expand(x, fmt, line, sizeof line, "-");
  printf("%s\n", line);
}

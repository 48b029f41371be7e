// nginx-serve.h: request processing: server selection, rewrites and location (nginx-rewrite.h,
// nginx-location.h), return, try_files, index, static
// files, autoindex, error_page and nginx's own error pages. Internal redirects re-run location matching
// (at most 10, then 500, as nginx's "rewrite or internal redirection cycle").

static int process(struct ctx *x, const char *uri, int depth);
static int proxy_pass(struct ctx *x, struct ncf *pp);

/* "nginx/1.27.5", or "nginx" with `server_tokens off` (http level), in Server headers and error pages. */
static const char *server_ver(void) {
  struct ncf *st = ncf_find(http, "server_tokens");
  return st && st->nargs && !strcmp(st->args[0], "off") ? "nginx" : NGINX_VER;
}

/* nginx's order: an exact server_name, then the longest "*.suffix" wildcard, then the port's default_server
 * (else its first server). */
static struct server *pick_server(struct th_conn *c, struct th_request *r) {
  char host[256] = "";
  const char *h = th_header(r, "Host");
  if (h) snprintf(host, sizeof host, "%s", h);
  char *colon = strchr(host, ':');
  if (colon) *colon = 0;
  size_t hl = strlen(host), wild_len = 0;
  struct server *first = NULL, *dflt = NULL, *wild = NULL;
  for (int i = 0; i < nservers; i++)
    for (int j = 0; j < servers[i].nports; j++) {
      if (servers[i].ports[j] != c->local_port) continue;
      if (!first) first = &servers[i];
      if (servers[i].dflt[j] && !dflt) dflt = &servers[i];
      struct ncf *sn = ncf_find(servers[i].b, "server_name");
      for (int k = 0; sn && k < sn->nargs && *host; k++) {
        const char *name = sn->args[k];
        size_t nl = strlen(name);
        if (!strcasecmp(name, host)) return &servers[i];
        if (name[0] == '*' && name[1] == '.' && hl > nl - 1 && nl - 1 > wild_len && !strcasecmp(host + hl - (nl - 1), name + 1)) wild = &servers[i], wild_len = nl - 1;
      }
    }
  return wild ? wild : dflt ? dflt : first;
}

static const char *mime_type(struct ctx *x, const char *path) {
  const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
  if (dot && (!slash || dot > slash)) {
    struct ncf *types = directive(x, "types");
    for (int i = 0; types && i < types->nkids; i++)
      for (int j = 0; j < types->kids[i].nargs; j++)
        if (!strcasecmp(types->kids[i].args[j], dot + 1)) return types->kids[i].name;
  }
  struct ncf *dt = directive(x, "default_type");
  return dt && dt->nargs ? dt->args[0] : "text/plain";
}

/* nginx's status line reason: its own table says "Moved Temporarily" for 302 (its error page says "Found"). */
static const char *ngx_reason(int code) { return code == 302 ? "Moved Temporarily" : th_reason(code); }

/* Writes the response and the access log line. pre/post: more header lines (each ending "\r\n") before and
 * after Connection, in nginx's order (Last-Modified before it; ETag, Accept-Ranges, Location after it). */
static int respond2(struct ctx *x, int code, const char *type, const char *pre, const char *extra, const void *body, size_t len) {
  char head[2048], date[64];
  x->status = code;
  th_http_date(date, sizeof date, time(NULL));
  int head_only = !strcmp(x->r->method, "HEAD");
  int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nServer: %s\r\nDate: %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s%s%s\r\n",
                   code, ngx_reason(code), server_ver(), date, type, len, pre ? pre : "", x->r->keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n", extra ? extra : "");
  int rc = th_send(x->c, head, (size_t)n, head_only ? NULL : body, head_only ? 0 : len);
  x->body_bytes = head_only ? 0 : len;
  x->bytes = (size_t)n + x->body_bytes;
  access_log(x);
  return rc;
}

static int respond(struct ctx *x, int code, const char *type, const char *extra, const void *body, size_t len) {
  return respond2(x, code, type, NULL, extra, body, len);
}

static int error_page_html(struct ctx *x, int code, const char *extra) {
  char body[512];
  int n = snprintf(body, sizeof body,
                   "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>%s"
                   "</center>\r\n</body>\r\n</html>\r\n",
                   code, th_reason(code), code, th_reason(code), server_ver());
  if (code == 400) x->r->keep_alive = 0;
  return respond(x, code, "text/html", extra, body, (size_t)n);
}

/* Answers with `code`, through a matching error_page when there is one. */
static int fail(struct ctx *x, int code, int depth) {
  if (!x->in_error) {
    struct ncf *blocks[3] = {x->loc, x->srv ? x->srv->b : NULL, http};
    for (int b = 0; b < 3; b++)
      for (int i = 0; blocks[b] && i < blocks[b]->nkids; i++) {
        struct ncf *ep = &blocks[b]->kids[i];
        if (strcmp(ep->name, "error_page") || ep->nargs < 2) continue;
        for (int k = 0; k < ep->nargs - 1; k++)
          if (atoi(ep->args[k]) == code) {
            x->in_error = 1;
            x->status = code;
            return process(x, ep->args[ep->nargs - 1], depth + 1);
          }
      }
  }
  return error_page_html(x, code, NULL);
}

static void redirect_location(struct ctx *x, const char *target, char *out, size_t n) {
  if (!strncmp(target, "http://", 7) || !strncmp(target, "https://", 8)) {
    snprintf(out, n, "Location: %s\r\n", target);
    return;
  }
  char host[256];
  var_value(x, "host", host, sizeof host);
  if (x->c->local_port != 80) snprintf(out, n, "Location: http://%s:%d%s\r\n", host, x->c->local_port, target);
  else snprintf(out, n, "Location: http://%s%s\r\n", host, target);
}

static int do_return(struct ctx *x, struct ncf *ret, int depth) {
  char text[8192];
  int code = atoi(ret->args[0]);
  if (!code) { /* return URL */
    expand(x, ret->args[0], text, sizeof text, "");
    char loc[8400];
    redirect_location(x, text, loc, sizeof loc);
    return error_page_html(x, 302, loc);
  }
  if (ret->nargs < 2) return code >= 400 ? fail(x, code, depth) : error_page_html(x, code, NULL);
  size_t n = expand(x, ret->args[1], text, sizeof text, "");
  if (code == 301 || code == 302 || code == 303 || code == 307 || code == 308) {
    char loc[8400];
    redirect_location(x, text, loc, sizeof loc);
    return error_page_html(x, code, loc);
  }
  struct ncf *dt = directive(x, "default_type");
  return respond(x, code, dt && dt->nargs ? dt->args[0] : "text/plain", NULL, text, n);
}

static void fs_path(struct ctx *x, const char *uri, char *out, size_t n) {
  struct ncf *alias = ncf_find(x->loc, "alias");
  if (alias && alias->nargs && x->loc->nargs == 1) {
    snprintf(out, n, "%s%s", alias->args[0], uri + strlen(x->loc->args[0]));
    return;
  }
  struct ncf *root = directive(x, "root");
  const char *r = root && root->nargs ? root->args[0] : "html";
  snprintf(out, n, "%s%s%s", r[0] == '/' ? "" : "/etc/nginx/", r, uri);
}

static int autoindex(struct ctx *x, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return fail(x, 403, 0);
  size_t cap = 4096, n = 0;
  char *html = (char *)malloc(cap);
  n += (size_t)snprintf(html, cap, "<html>\r\n<head><title>Index of %s</title></head>\r\n<body>\r\n<h1>Index of %s</h1><hr><pre><a href=\"../\">../</a>\r\n", x->uri, x->uri);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char full[1200], when[32], size[32], name[300];
    struct stat st;
    snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
    if (stat(full, &st)) continue;
    int isdir = S_ISDIR(st.st_mode);
    snprintf(name, sizeof name, "%s%s", e->d_name, isdir ? "/" : "");
    strftime(when, sizeof when, "%d-%b-%Y %H:%M", gmtime(&st.st_mtim.tv_sec));
    if (isdir) snprintf(size, sizeof size, "-");
    else snprintf(size, sizeof size, "%lld", (long long)st.st_size);
    if (n + 600 > cap) html = (char *)realloc(html, cap *= 2);
    int pad = 51 - (int)strlen(name);
    n += (size_t)snprintf(html + n, cap - n, "<a href=\"%s\">%s</a>%*s%s %19s\r\n", name, name, pad < 1 ? 1 : pad, "", when, size);
  }
  closedir(d);
  if (n + 64 > cap) html = (char *)realloc(html, cap += 64);
  n += (size_t)snprintf(html + n, cap - n, "</pre><hr></body>\r\n</html>\r\n");
  int rc = respond(x, 200, "text/html", NULL, html, n);
  free(html);
  return rc;
}

static int send_file(struct ctx *x, const char *path, struct stat *st) {
  FILE *f = fopen(path, "rb");
  if (!f) return fail(x, 403, 0);
  char *data = (char *)malloc((size_t)st->st_size + 1);
  size_t len = fread(data, 1, (size_t)st->st_size, f);
  fclose(f);
  char pre[128], extra[256], lm[64];
  th_http_date(lm, sizeof lm, st->st_mtim.tv_sec);
  snprintf(pre, sizeof pre, "Last-Modified: %s\r\n", lm);
  snprintf(extra, sizeof extra, "ETag: \"%llx-%llx\"\r\nAccept-Ranges: bytes\r\n", (unsigned long long)st->st_mtim.tv_sec, (unsigned long long)len);
  int rc = respond2(x, x->in_error ? x->status : 200, mime_type(x, path), pre, extra, data, len);
  free(data);
  return rc;
}

static int serve_static(struct ctx *x, const char *uri, int depth) {
  char path[2400];
  struct stat st;
  if (strcmp(x->r->method, "GET") && strcmp(x->r->method, "HEAD")) return fail(x, 405, depth);
  fs_path(x, uri, path, sizeof path);
  size_t ul = strlen(uri);
  if (ul && uri[ul - 1] == '/') {
    struct ncf *index = directive(x, "index");
    int count = index ? index->nargs : 1;
    for (int i = 0; i < count; i++) {
      const char *name = index ? index->args[i] : "index.html";
      char file[2600];
      snprintf(file, sizeof file, "%s%s", path, name);
      if (!stat(file, &st) && S_ISREG(st.st_mode)) {
        char next[2600];
        snprintf(next, sizeof next, "%s%s", uri, name);
        return process(x, next, depth + 1);
      }
    }
    struct ncf *ai = directive(x, "autoindex");
    int isdir = !stat(path, &st) && S_ISDIR(st.st_mode);
    if (isdir && ai && ai->nargs && !strcmp(ai->args[0], "on")) return autoindex(x, path);
    if (isdir) req_error(x, "error", "directory index of \"%s\" is forbidden", path);
    else req_error(x, "error", "\"%s%s\" is not found (2: No such file or directory)", path, index ? index->args[0] : "index.html");
    return fail(x, isdir ? 403 : 404, depth);
  }
  if (stat(path, &st)) {
    req_error(x, "error", "open() \"%s\" failed (2: No such file or directory)", path);
    return fail(x, 404, depth);
  }
  if (S_ISDIR(st.st_mode)) {
    char loc[2600], target[2100];
    snprintf(target, sizeof target, "%s/%s%s", uri, *x->r->query ? "?" : "", x->r->query);
    redirect_location(x, target, loc, sizeof loc);
    return error_page_html(x, 301, loc);
  }
  return send_file(x, path, &st);
}

static int try_files(struct ctx *x, struct ncf *tf, int depth) {
  struct stat st;
  for (int i = 0; i < tf->nargs - 1; i++) {
    char uri[2048], path[2400];
    expand(x, tf->args[i], uri, sizeof uri, "");
    fs_path(x, uri, path, sizeof path);
    size_t ul = strlen(uri);
    int want_dir = ul && uri[ul - 1] == '/';
    if (stat(path, &st) || (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))) continue;
    snprintf(x->uri, sizeof x->uri, "%s", uri);
    return serve_static(x, uri, depth);
  }
  const char *last = tf->args[tf->nargs - 1];
  if (last[0] == '=') return fail(x, atoi(last + 1), depth);
  char next[2048];
  expand(x, last, next, sizeof next, "");
  return process(x, next, depth + 1);
}

static int process(struct ctx *x, const char *uri, int depth) {
  if (depth > 10) {
    req_error(x, "error", "rewrite or internal redirection cycle while internally redirecting to \"%s\"", uri);
    x->in_error = 1;
    return error_page_html(x, 500, NULL);
  }
  snprintf(x->uri, sizeof x->uri, "%s", uri);
  x->loc = NULL;
  int rc = 0, rw = x->skip_server_rewrites ? RW_NONE : run_rewrites(x, x->srv->b, &rc);
  x->skip_server_rewrites = 0;
  if (rw == RW_DONE) return rc;
  struct ncf *ret = ncf_find(x->srv->b, "return");
  if (ret && ret->nargs) return do_return(x, ret, depth);
  x->loc = match_location(x->srv, x->uri);
  rw = run_rewrites(x, x->loc, &rc);
  if (rw == RW_DONE) return rc;
  if (rw == RW_CHANGED || rw == RW_LAST) {
    char next[sizeof x->uri];
    memcpy(next, x->uri, sizeof next);
    x->skip_server_rewrites = 1;
    return process(x, next, depth + 1);
  }
  ret = rw == RW_BREAK ? NULL : ncf_find(x->loc, "return"); /* break ends the rewrite module's directives */
  if (ret && ret->nargs) return do_return(x, ret, depth);
  struct ncf *pp = ncf_find(x->loc, "proxy_pass");
  if (pp && pp->nargs && !x->in_error) return proxy_pass(x, pp);
  struct ncf *tf = directive(x, "try_files");
  if (tf && tf->nargs >= 2 && x->loc && ncf_find(x->loc, "try_files")) return try_files(x, tf, depth);
  if (tf && tf->nargs >= 2 && !ncf_find(x->loc, "try_files")) return try_files(x, tf, depth);
  return serve_static(x, x->uri, depth);
}

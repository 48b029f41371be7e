// nginx-handle.h: the server loop's entry points: handle() (one parsed request: server selection, keep-alive
// policy, URI normalisation, then process() of nginx-serve.h) and bad_request() (an unparsable request).

/* "/a/%20b/../c" → "/a/c" with %XX decoded; -1 when it climbs above "/". */
static int normalize(const char *in, char *out, size_t n) {
  size_t o = 0;
  if (in[0] != '/') return -1;
  for (const char *p = in; *p && o + 1 < n; p++) {
    char ch = *p;
    if (ch == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
      char hex[3] = {p[1], p[2], 0};
      ch = (char)strtol(hex, NULL, 16);
      p += 2;
    }
    out[o++] = ch;
    out[o] = 0;
    if (o >= 2 && out[o - 1] == '/' && out[o - 2] == '/') o--;
    if (o >= 3 && !strcmp(out + o - 3, "/./")) o -= 2;
    if (o >= 4 && !strcmp(out + o - 4, "/../")) {
      if (o == 4) return -1;
      o -= 4;
      while (o > 0 && out[o - 1] != '/') o--;
    }
  }
  out[o] = 0;
  if (o >= 2 && !strcmp(out + o - 2, "/.")) out[o - 1] = 0;
  if (o >= 3 && !strcmp(out + o - 3, "/..")) return -1;
  return 0;
}

static int handle(struct th_conn *c, struct th_request *r) {
  static struct ctx x;
  memset(&x, 0, sizeof x);
  x.c = c;
  x.r = r;
  x.srv = pick_server(c, r);
  struct ncf *kt = ncf_find(x.srv ? x.srv->b : NULL, "keepalive_timeout");
  if (!kt) kt = ncf_find(http, "keepalive_timeout");
  if (kt && kt->nargs && atoi(kt->args[0]) == 0) r->keep_alive = 0;
  char uri[2048];
  if (!x.srv) return error_page_html(&x, 404, NULL);
  if (normalize(r->path, uri, sizeof uri)) {
    r->keep_alive = 0;
    return error_page_html(&x, 400, NULL);
  }
  return process(&x, uri, 0);
}

static void bad_request(struct th_conn *c, int code) {
  static struct th_request r;
  static struct ctx x;
  memset(&r, 0, sizeof r);
  memset(&x, 0, sizeof x);
  r.method = r.target = r.path = r.query = (char *)"";
  r.proto = (char *)"HTTP/1.1";
  x.c = c;
  x.r = &r;
  error_page_html(&x, code == 431 ? 400 : code, NULL);
}

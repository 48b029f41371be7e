// nginx-rewrite.h: `rewrite regex replacement [last|break|redirect|permanent]` (ngx_http_rewrite_module) in
// server and location blocks, applied in configuration order to the current URI. The replacement takes
// $0-$9 (the regex's captures) and variables. A replacement starting with http://, https:// or $scheme, or
// the flags redirect (302) / permanent (301), answers a redirect (the request's arguments appended unless
// the replacement ends with "?"). A "?" in the replacement sets new arguments (the old ones appended unless
// it ends with "?"). Without a flag the next rewrite runs on the new URI; `last` stops and searches the
// location again; `break` stops and stays in the current location. The regex is POSIX extended.
#include <regex.h>

static int error_page_html(struct ctx *x, int code, const char *extra);
static void redirect_location(struct ctx *x, const char *target, char *out, size_t n);

enum { RW_NONE, RW_CHANGED, RW_LAST, RW_BREAK, RW_DONE };

/* Copies replacement into out with $0-$9 taken from the captures of uri. */
static void rewrite_captures(const char *rep, const char *uri, regmatch_t *m, char *out, size_t n) {
  size_t o = 0;
  for (const char *p = rep; *p && o + 1 < n; p++) {
    if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
      int k = *++p - '0';
      if (m[k].rm_so < 0) continue;
      int len = (int)(m[k].rm_eo - m[k].rm_so);
      o += (size_t)snprintf(out + o, n - o, "%.*s", len, uri + m[k].rm_so);
      if (o >= n) o = n - 1;
    } else out[o++] = *p;
  }
  out[o] = 0;
}

/* Runs block's rewrites on x->uri; RW_DONE when it answered a redirect (*rc is the send result). */
static int run_rewrites(struct ctx *x, struct ncf *block, int *rc) {
  int result = RW_NONE;
  for (int i = 0; block && i < block->nkids; i++) {
    struct ncf *d = &block->kids[i];
    if (strcmp(d->name, "rewrite") || d->nargs < 2) continue;
    regex_t re;
    regmatch_t m[10];
    if (regcomp(&re, d->args[0], REG_EXTENDED)) continue;
    int hit = regexec(&re, x->uri, 10, m, 0) == 0;
    regfree(&re);
    if (!hit) continue;
    char caps[2048], out[4096];
    rewrite_captures(d->args[1], x->uri, m, caps, sizeof caps);
    expand(x, caps, out, sizeof out, "");
    const char *flag = d->nargs > 2 ? d->args[2] : "";
    size_t ol = strlen(out);
    int keep_args = !(ol && out[ol - 1] == '?');
    if (!keep_args) out[--ol] = 0;
    int redirect = !strcmp(flag, "redirect") || !strcmp(flag, "permanent") || !strncmp(out, "http://", 7) || !strncmp(out, "https://", 8);
    if (redirect) {
      char target[5200], loc[5400];
      snprintf(target, sizeof target, "%s%s%s", out, keep_args && *x->r->query ? (strchr(out, '?') ? "&" : "?") : "", keep_args ? x->r->query : "");
      if (!strncmp(target, "http://", 7) || !strncmp(target, "https://", 8)) snprintf(loc, sizeof loc, "Location: %s\r\n", target);
      else redirect_location(x, target, loc, sizeof loc);
      *rc = error_page_html(x, !strcmp(flag, "permanent") ? 301 : 302, loc);
      return RW_DONE;
    }
    char *q = strchr(out, '?');
    if (q) {
      *q = 0;
      char args[sizeof x->args];
      snprintf(args, sizeof args, "%s%s%s", q + 1, keep_args && *x->r->query ? "&" : "", keep_args ? x->r->query : "");
      memcpy(x->args, args, sizeof args);
      x->r->query = x->args;
    }
    snprintf(x->uri, sizeof x->uri, "%s", out);
    x->rewritten = 1;
    result = RW_CHANGED;
    if (!strcmp(flag, "last")) return RW_LAST;
    if (!strcmp(flag, "break")) return RW_BREAK;
  }
  return result;
}

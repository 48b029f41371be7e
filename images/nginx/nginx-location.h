// nginx-location.h: location selection in nginx's documented order (ngx_http_core_module "location"):
// 1. an exact `location = /uri` match ends the search;
// 2. otherwise the longest matching prefix location (plain or `^~`) is remembered; if it is `^~`, it is used;
// 3. otherwise regex locations (`~` case-sensitive, `~*` case-insensitive) are tried in configuration order
//    and the first match is used;
// 4. otherwise the remembered prefix location. Regexes are POSIX extended (nginx uses PCRE: the common
//    subset — anchors, classes, alternation, groups — behaves the same). Named (`@`) locations never match
//    a request URI. Nested locations are not searched.
#include <regex.h>

/* The regex of l ("~ re" / "~* re"), 1 when uri matches; an invalid regex never matches. */
static int location_regex_match(struct ncf *l, const char *uri) {
  regex_t re;
  int icase = !strcmp(l->args[0], "~*");
  if (regcomp(&re, l->args[1], REG_EXTENDED | REG_NOSUB | (icase ? REG_ICASE : 0))) return 0;
  int hit = regexec(&re, uri, 0, NULL, 0) == 0;
  regfree(&re);
  return hit;
}

static int location_is_regex(struct ncf *l) { return l->nargs == 2 && (!strcmp(l->args[0], "~") || !strcmp(l->args[0], "~*")); }

static struct ncf *match_location(struct server *s, const char *uri) {
  struct ncf *best = NULL;
  size_t best_len = 0;
  int best_stop = 0;
  for (int i = 0; s && i < s->b->nkids; i++) {
    struct ncf *l = &s->b->kids[i];
    if (strcmp(l->name, "location") || !l->nargs) continue;
    if (l->nargs == 2 && !strcmp(l->args[0], "=")) {
      if (!strcmp(l->args[1], uri)) return l;
      continue;
    }
    int stop = l->nargs == 2 && !strcmp(l->args[0], "^~");
    const char *prefix = stop ? l->args[1] : l->nargs == 1 ? l->args[0] : NULL;
    if (!prefix || prefix[0] == '@') continue;
    size_t n = strlen(prefix);
    if (!strncmp(uri, prefix, n) && (n > best_len || !best)) best = l, best_len = n, best_stop = stop;
  }
  if (best && best_stop) return best;
  for (int i = 0; s && i < s->b->nkids; i++) {
    struct ncf *l = &s->b->kids[i];
    if (!strcmp(l->name, "location") && location_is_regex(l) && location_regex_match(l, uri)) return l;
  }
  return best;
}

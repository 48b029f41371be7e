/* sh word expansion: quotes, $VAR ${VAR} ${#V} ${V:-w} ${V-w} ${V:=w} ${V:+w} ${V:?w} ${V#p} ${V##p}
 * ${V%p} ${V%%p}, $? $$ $# $0-$9 $@ $*, $(...), $((...)), field splitting of unquoted expansions on IFS
 * whitespace, and pathname globbing (* ? [...]) of unquoted text: no match keeps the word. Each field is
 * built twice: its text and a pattern where quoted characters are backslash-escaped (for glob, case, #/%). */
#include <fnmatch.h>
#include <glob.h>

static int exec_node(struct node *n, struct io io);
static int run_string(const char *src, struct io io);
static int g_status, g_exit = -1, g_interactive;
static char **g_args; static int g_nargs; /* $0.. */
static int g_last_bg; /* $!: the pid of the last background job, 0 before one */

struct buf { char *s; size_t n, cap; };
static void bput(struct buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) { b->cap = (b->n + n + 1) * 2; b->s = realloc(b->s, b->cap); }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = 0;
}

struct fields { char **v; int n; };
struct exp { struct buf b, pat; int have, globby; struct fields *out; };

/* Appends text; quoted text is escaped in the pattern, unquoted glob characters make the field globby. */
static void eput(struct exp *e, const char *s, size_t n, int quoted) {
  bput(&e->b, s, n);
  for (size_t i = 0; i < n; i++) {
    if (quoted && strchr("*?[]\\", s[i])) bput(&e->pat, "\\", 1);
    else if (!quoted && strchr("*?[", s[i])) e->globby = 1;
    bput(&e->pat, s + i, 1);
  }
  e->have = 1;
}

static int cmpstrp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }
static void fadd(struct fields *f, const char *s) {
  f->v = realloc(f->v, sizeof(char *) * (f->n + 2));
  f->v[f->n++] = strdup(s);
  f->v[f->n] = 0;
}

static void efield(struct exp *e) {
  if (!e->out) return;
  glob_t g;
  if (e->globby && glob(e->pat.s, 0, 0, &g) == 0) {
    qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), cmpstrp);
    for (size_t i = 0; i < g.gl_pathc; i++) fadd(e->out, g.gl_pathv[i]);
    globfree(&g);
  } else fadd(e->out, e->b.s ? e->b.s : "");
  e->b.n = e->pat.n = 0;
  e->b.s[0] = e->pat.s[0] = 0;
  e->have = e->globby = 0;
}

static int run_subshell_string(const char *src, struct io io);
/* $(...) and `...`: runs src as a subshell (sh-subshell.h) and returns its output without trailing newlines. */
static char *command_subst(const char *src) {
  int p[2];
  pipe(p);
  struct io io = {0, p[1], 2};
  run_subshell_string(src, io);
  close(p[1]);
  char *out; size_t n;
  readall(p[0], &out, &n);
  close(p[0]);
  out = realloc(out, n + 1);
  while (n && out[n - 1] == '\n') n--;
  out[n] = 0;
  return out;
}

/* This process's pid in its container (1: the container's main process). */
__attribute__((import_module("tabernetes_process"), import_name("getpid")))
int __tabernetes_getpid(void);

static const char *param(const char *name, char *tmp) {
  if (!strcmp(name, "?")) { sprintf(tmp, "%d", g_status); return tmp; }
  if (!strcmp(name, "$")) { sprintf(tmp, "%d", __tabernetes_getpid()); return tmp; }
  if (!strcmp(name, "!")) { if (!g_last_bg) return ""; sprintf(tmp, "%d", g_last_bg); return tmp; }
  if (!strcmp(name, "#")) { sprintf(tmp, "%d", g_nargs > 0 ? g_nargs - 1 : 0); return tmp; }
  if (isdigit((unsigned char)name[0])) { int i = atoi(name); return i < g_nargs ? g_args[i] : 0; }
  return getenv(name);
}

static void expand(const char *p, struct fields *out);
static char *expand1(const char *w);
/* The pattern form of w (quote-escaped, one string) for fnmatch. */
static char *expand_pat(const char *w);

/* Removes the shortest/longest prefix (or suffix) of v matching pat. */
static char *trim(const char *v, const char *pat, int suffix, int longest) {
  size_t n = strlen(v);
  char *t = strdup(v);
  for (size_t k = 0; k <= n; k++) {
    size_t len = longest ? n - k : k;
    if (!suffix) { char c = t[len]; t[len] = 0; int m = !fnmatch(pat, t, 0); t[len] = c; if (m) { free(t); return strdup(v + len); } }
    else if (!fnmatch(pat, v + n - len, 0)) { free(t); return strndup(v, n - len); }
  }
  return t;
}

/* ${...}: body is the text between the braces. Returns the value (malloc'd) or 0 after an error. */
static char *brace_param(const char *body, int errfd) {
  char name[64], tmp[32];
  int k = 0, len_of = body[0] == '#' && body[1];
  if (len_of) body++;
  if (strchr("?$#@*!", *body) && *body) name[k++] = *body++;
  else if (isdigit((unsigned char)*body)) name[k++] = *body++;
  else while ((isalnum((unsigned char)*body) || *body == '_') && k < 63) name[k++] = *body++;
  name[k] = 0;
  const char *v = !strcmp(name, "@") || !strcmp(name, "*") ? 0 : param(name, tmp);
  char *all = 0;
  if (!strcmp(name, "@") || !strcmp(name, "*")) {
    struct buf b = {0};
    bput(&b, "", 0);
    for (int i = 1; i < g_nargs; i++) { if (i > 1) bput(&b, " ", 1); bput(&b, g_args[i], strlen(g_args[i])); }
    v = all = b.s;
  }
  if (len_of) { sprintf(tmp, "%zu", all ? (size_t)(g_nargs > 0 ? g_nargs - 1 : 0) : v ? strlen(v) : 0); free(all); return strdup(tmp); }
  if (!*body) return strdup(v ? v : "");
  int colon = *body == ':';
  const char *op = body + colon;
  int unset = !v || (colon && !*v);
  char *r = 0;
  if (*op == '-') r = unset ? expand1(op + 1) : strdup(v);
  else if (*op == '+') r = unset ? strdup("") : expand1(op + 1);
  else if (*op == '=') { if (unset) { r = expand1(op + 1); setenv(name, r, 1); } else r = strdup(v); }
  else if (*op == '?') {
    if (!unset) r = strdup(v);
    else {
      char *msg = op[1] ? expand1(op + 1) : strdup(colon ? "parameter not set or null" : "parameter not set");
      dprintf(errfd, "sh: %s: %s\n", name, msg);
      free(msg);
      if (!g_interactive) g_exit = 2;
      g_status = 2;
    }
  } else if (!colon && (*op == '#' || *op == '%')) {
    int longest = op[1] == op[0];
    char *pat = expand_pat(op + 1 + longest);
    r = trim(v ? v : "", pat, *op == '%', longest);
    free(pat);
  } else { dprintf(errfd, "sh: syntax error: bad substitution\n"); if (!g_interactive) g_exit = 2; g_status = 2; }
  free(all);
  return r;
}

/* Appends an expansion's value: as is in double quotes or one-string contexts, else split on whitespace. */
static void put_value(struct exp *e, const char *val, int dq) {
  if (dq || !e->out) { eput(e, val, strlen(val), dq); return; }
  for (const char *v = val; *v; v++) {
    if (isspace((unsigned char)*v)) { if (e->b.n || e->have) efield(e); }
    else eput(e, v, 1, 0);
  }
}

/* Expands the $-form at *pp into e (dq: inside double quotes, no splitting). */
static void dollar(const char **pp, struct exp *e, int dq) {
  const char *p = *pp;
  char name[64] = "", tmp[32], *owned = 0;
  const char *val = 0;
  if (p[1] == '(' && p[2] == '(') {
    const char *s = skip_subst(p);
    char *inner = strndup(p + 3, s - p - 5);
    char *x = expand1(inner);
    long v = arith(x, 2);
    if (arith_err && !g_interactive) g_exit = 2;
    free(inner); free(x);
    sprintf(tmp, "%ld", v);
    val = tmp;
    p = s;
  } else if (p[1] == '(') {
    const char *s = skip_subst(p);
    char *inner = strndup(p + 2, s - p - 3);
    val = owned = command_subst(inner);
    free(inner);
    p = s;
  } else if (p[1] == '{') {
    const char *s = skip_subst(p);
    char *body = strndup(p + 2, s - p - 3);
    val = owned = brace_param(body, 2);
    free(body);
    p = s;
    if (!val) val = "";
  } else if (p[1] == '@' || p[1] == '*') {
    for (int i = 1; i < g_nargs; i++) {
      if (i > 1) { if (dq || !e->out) eput(e, " ", 1, 1); else efield(e); }
      eput(e, g_args[i], strlen(g_args[i]), dq);
    }
    *pp = p + 2;
    return;
  } else if (strchr("?$#!", p[1]) || isdigit((unsigned char)p[1])) {
    name[0] = p[1]; name[1] = 0; p += 2;
  } else if (isalpha((unsigned char)p[1]) || p[1] == '_') {
    int k = 0;
    p++;
    while ((isalnum((unsigned char)*p) || *p == '_') && k < 63) name[k++] = *p++;
    name[k] = 0;
  } else { eput(e, p, 1, 1); *pp = p + 1; return; }
  if (!val) val = param(name, tmp);
  put_value(e, val ? val : "", dq);
  free(owned);
  *pp = p;
}

/* `...` at *pp: \$ \` \\ (and \" inside double quotes) lose their backslash, then it runs as $(...). */
static void backtick(const char **pp, struct exp *e, int dq) {
  const char *p = *pp + 1;
  struct buf src = {0};
  bput(&src, "", 0);
  for (; *p && *p != '`'; p++) {
    if (*p == '\\' && p[1] && (strchr("$`\\", p[1]) || (dq && p[1] == '"'))) p++;
    bput(&src, p, 1);
  }
  char *out = command_subst(src.s);
  put_value(e, out, dq);
  free(out);
  free(src.s);
  *pp = *p ? p + 1 : p;
}

static void expand_into(const char *p, struct exp *e) {
  bput(&e->b, "", 0);
  bput(&e->pat, "", 0);
  while (*p) {
    if (*p == '\'') { const char *q = strchr(p + 1, '\''); eput(e, p + 1, q - p - 1, 1); e->have = 1; p = q + 1; continue; }
    if (*p == '\\') { if (p[1]) eput(e, p + 1, 1, 1); p += p[1] ? 2 : 1; continue; }
    if (*p == '$' && p[1]) { dollar(&p, e, 0); continue; }
    if (*p == '`') { backtick(&p, e, 0); continue; }
    if (*p != '"') { eput(e, p, 1, 0); p++; continue; }
    p++;
    e->have = 1;
    while (*p && *p != '"') {
      if (*p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) { eput(e, p + 1, 1, 1); p += 2; }
      else if (*p == '$' && p[1]) dollar(&p, e, 1);
      else if (*p == '`') backtick(&p, e, 1);
      else { eput(e, p, 1, 1); p++; }
    }
    if (*p) p++;
  }
}

/* Expands one raw word into fields (unquoted expansions are split on whitespace, then globbed). */
static void expand(const char *p, struct fields *out) {
  struct exp e = {{0}, {0}, 0, 0, out};
  expand_into(p, &e);
  if (e.b.n || e.have) efield(&e);
  free(e.b.s); free(e.pat.s);
}

/* Expands w to one string: no splitting, no globbing (assignments, redirection targets, case words). */
static char *expand1(const char *w) {
  struct exp e = {{0}, {0}, 0, 0, 0};
  expand_into(w, &e);
  free(e.pat.s);
  return e.b.s;
}

static char *expand_pat(const char *w) {
  struct exp e = {{0}, {0}, 0, 0, 0};
  expand_into(w, &e);
  free(e.b.s);
  return e.pat.s;
}

/* Here-document text: $-expansions and \$ \` \\ \newline; quotes are literal. */
static char *expand_heredoc(const char *p) {
  struct exp e = {{0}, {0}, 0, 0, 0};
  bput(&e.b, "", 0);
  bput(&e.pat, "", 0);
  while (*p) {
    if (*p == '\\' && p[1] == '\n') p += 2;
    else if (*p == '\\' && p[1] && strchr("$`\\", p[1])) { eput(&e, p + 1, 1, 1); p += 2; }
    else if (*p == '$' && p[1]) dollar(&p, &e, 1);
    else if (*p == '`') backtick(&p, &e, 1);
    else { eput(&e, p, 1, 1); p++; }
  }
  free(e.pat.s);
  return e.b.s;
}

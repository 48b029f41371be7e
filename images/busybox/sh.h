/* sh: a small POSIX-ish shell for Tabernetes' WASI busybox. Commands outside the builtins run as child
 * processes (tabernetes_spawn); pipelines connect them with pipes. Supported: ; && || | ! { } if/elif/else,
 * for/while/until, break/continue, redirections (< > >> 2> 2>&1 >&2), quoting (' " \), $VAR ${VAR} $? $$
 * $# $0-$9 $@ $* and $(...), NAME=value, export, unset, cd, exit, read, set --, shift. */
#include "tabernetes.h"

enum { T_WORD, T_OP, T_NL, T_EOF };
struct tok { int type; char *s; };
enum { N_SIMPLE, N_PIPE, N_AND, N_OR, N_SEQ, N_NOT, N_IF, N_WHILE, N_UNTIL, N_FOR, N_GROUP };
struct redir { int fd; char kind; char *word; };
struct node {
  int type;
  char **w; int nw;
  struct redir *r; int nr;
  struct node *a, *b, *c;
  char *var;
};

static struct tok *toks; static int ntok, tpos, parse_incomplete;
static char parse_err[128];
static int g_status, g_exit = -1, g_break, g_continue;
static char **g_args; static int g_nargs; /* $0.. */

static int isop(char c) { return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')'; }

static void addtok(int type, const char *s, size_t n) {
  toks = realloc(toks, sizeof *toks * (ntok + 1));
  toks[ntok].type = type;
  toks[ntok].s = strndup(s, n);
  ntok++;
}

/* Splits src into tokens; returns 0, or -1 with parse_incomplete set for an unterminated quote. */
static int tokenize(const char *p) {
  ntok = tpos = 0;
  while (*p) {
    if (*p == ' ' || *p == '\t' || *p == '\r') { p++; continue; }
    if (*p == '#') { while (*p && *p != '\n') p++; continue; }
    if (*p == '\n') { addtok(T_NL, "\n", 1); p++; continue; }
    const char *s = p;
    if (isdigit((unsigned char)p[0]) && (p[1] == '>' || p[1] == '<')) p++;
    if (isop(*p)) {
      if ((p[0] == '>' && p[1] == '>') || (p[0] == '&' && p[1] == '&') || (p[0] == '|' && p[1] == '|') || (p[0] == '>' && p[1] == '&') || (p[0] == ';' && p[1] == ';')) p += 2;
      else p++;
      addtok(T_OP, s, p - s);
      continue;
    }
    p = s;
    while (*p && !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || isop(*p))) {
      if (*p == '\\' && p[1]) p += 2;
      else if (*p == '\'') { const char *e = strchr(p + 1, '\''); if (!e) { parse_incomplete = 1; return -1; } p = e + 1; }
      else if (*p == '"') {
        p++;
        while (*p && *p != '"') p += (*p == '\\' && p[1]) ? 2 : 1;
        if (!*p) { parse_incomplete = 1; return -1; }
        p++;
      } else if (*p == '$' && p[1] == '(') {
        int depth = 0;
        p++;
        do { if (*p == '(') depth++; else if (*p == ')') depth--; p++; } while (*p && depth);
        if (depth) { parse_incomplete = 1; return -1; }
      } else p++;
    }
    addtok(T_WORD, s, p - s);
  }
  addtok(T_EOF, "", 0);
  return 0;
}

static struct tok *peek(void) { return &toks[tpos]; }
static int is(const char *s) { return (peek()->type == T_WORD || peek()->type == T_OP) && !strcmp(peek()->s, s); }
static void skipnl(void) { while (peek()->type == T_NL || (peek()->type == T_OP && !strcmp(peek()->s, ";") && 0)) tpos++; }
static struct node *mk(int type) { struct node *n = calloc(1, sizeof *n); n->type = type; return n; }
static void fail(const char *what) {
  if (parse_err[0]) return;
  if (peek()->type == T_EOF) { parse_incomplete = 1; snprintf(parse_err, sizeof parse_err, "unexpected end of file"); }
  else snprintf(parse_err, sizeof parse_err, "unexpected %s", what ? what : peek()->type == T_NL ? "newline" : peek()->s);
}
static int expect(const char *s) { skipnl(); if (!is(s)) { fail(0); return 0; } tpos++; return 1; }

static struct node *parse_list(const char **stops);
static const char *STOP_THEN[] = {"then", 0}, *STOP_ELSE[] = {"elif", "else", "fi", 0}, *STOP_DO[] = {"do", 0}, *STOP_DONE[] = {"done", 0}, *STOP_BRACE[] = {"}", 0};

static int reserved(void) {
  static const char *r[] = {"then", "else", "elif", "fi", "do", "done", "}", 0};
  if (peek()->type != T_WORD) return 0;
  for (int i = 0; r[i]; i++) if (!strcmp(peek()->s, r[i])) return 1;
  return 0;
}

static struct node *parse_command(void) {
  if (parse_err[0]) return 0;
  if (is("if")) {
    tpos++;
    struct node *n = mk(N_IF);
    n->a = parse_list(STOP_THEN);
    if (!expect("then")) return 0;
    n->b = parse_list(STOP_ELSE);
    skipnl();
    if (is("elif")) { toks[tpos].s = "if"; n->c = parse_command(); return n; }
    if (is("else")) { tpos++; n->c = parse_list((const char *[]){"fi", 0}); }
    if (!expect("fi")) return 0;
    return n;
  }
  if (is("while") || is("until")) {
    struct node *n = mk(is("while") ? N_WHILE : N_UNTIL);
    tpos++;
    n->a = parse_list(STOP_DO);
    if (!expect("do")) return 0;
    n->b = parse_list(STOP_DONE);
    if (!expect("done")) return 0;
    return n;
  }
  if (is("for")) {
    tpos++;
    struct node *n = mk(N_FOR);
    if (peek()->type != T_WORD) { fail(0); return 0; }
    n->var = toks[tpos++].s;
    skipnl();
    if (is("in")) {
      tpos++;
      n->w = calloc(1, sizeof(char *));
      while (peek()->type == T_WORD) { n->w = realloc(n->w, sizeof(char *) * (n->nw + 2)); n->w[n->nw++] = toks[tpos++].s; }
    } else { n->nw = -1; }
    if (is(";")) tpos++;
    if (!expect("do")) return 0;
    n->b = parse_list(STOP_DONE);
    if (!expect("done")) return 0;
    return n;
  }
  if (is("{")) {
    tpos++;
    struct node *n = mk(N_GROUP);
    n->a = parse_list(STOP_BRACE);
    if (!expect("}")) return 0;
    return n;
  }
  struct node *n = mk(N_SIMPLE);
  for (;;) {
    struct tok *t = peek();
    if (t->type == T_OP && (strchr("<>", t->s[0]) || (isdigit((unsigned char)t->s[0]) && strchr("<>", t->s[1])))) {
      struct redir r = {1, '>', 0};
      const char *o = t->s;
      if (isdigit((unsigned char)*o)) r.fd = *o++ - '0';
      else if (*o == '<') r.fd = 0;
      r.kind = !strcmp(o, ">>") ? 'a' : !strcmp(o, ">&") ? 'd' : *o;
      tpos++;
      if (peek()->type != T_WORD) { fail(0); return 0; }
      r.word = toks[tpos++].s;
      n->r = realloc(n->r, sizeof *n->r * (n->nr + 1));
      n->r[n->nr++] = r;
      continue;
    }
    if (t->type != T_WORD || (n->nw == 0 && reserved())) break;
    n->w = realloc(n->w, sizeof(char *) * (n->nw + 2));
    n->w[n->nw++] = t->s;
    n->w[n->nw] = 0;
    tpos++;
  }
  if (!n->nw && !n->nr) { fail(0); return 0; }
  return n;
}

static struct node *parse_pipeline(void) {
  int neg = 0;
  if (is("!")) { neg = 1; tpos++; }
  struct node *n = parse_command();
  while (n && is("|")) {
    tpos++;
    skipnl();
    struct node *p = mk(N_PIPE);
    p->a = n;
    p->b = parse_command();
    n = p;
  }
  if (neg && n) { struct node *x = mk(N_NOT); x->a = n; n = x; }
  return n;
}

static struct node *parse_andor(void) {
  struct node *n = parse_pipeline();
  while (n && (is("&&") || is("||"))) {
    struct node *x = mk(is("&&") ? N_AND : N_OR);
    tpos++;
    skipnl();
    x->a = n;
    x->b = parse_pipeline();
    n = x;
  }
  return n;
}

static int at_stop(const char **stops) {
  if (peek()->type == T_EOF) return 1;
  if (peek()->type == T_OP && !strcmp(peek()->s, ")")) return 1;
  for (int i = 0; stops && stops[i]; i++) if (is(stops[i])) return 1;
  return 0;
}

static struct node *parse_list(const char **stops) {
  struct node *head = 0;
  for (;;) {
    skipnl();
    while (is(";")) { tpos++; skipnl(); }
    if (at_stop(stops) || parse_err[0]) break;
    struct node *n = parse_andor();
    if (!n) return 0;
    if (is("&")) tpos++; /* background jobs run in the foreground */
    if (!head) head = n;
    else { struct node *s = mk(N_SEQ); s->a = head; s->b = n; head = s; }
    if (!(is(";") || peek()->type == T_NL || is("&"))) { if (!at_stop(stops)) { fail(0); return 0; } break; }
  }
  if (stops && peek()->type == T_EOF) fail(0);
  return head ? head : mk(N_GROUP);
}

/* ---- expansion ---- */
static int exec_node(struct node *n, struct io io);
static int run_string(const char *src, struct io io);

struct buf { char *s; size_t n, cap; };
static void bput(struct buf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) { b->cap = (b->n + n + 1) * 2; b->s = realloc(b->s, b->cap); }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = 0;
}

static char *command_subst(const char *src) {
  int p[2];
  pipe(p);
  struct io io = {0, p[1], 2};
  run_string(src, io);
  close(p[1]);
  char *out; size_t n;
  readall(p[0], &out, &n);
  close(p[0]);
  while (n && out[n - 1] == '\n') n--;
  out[n] = 0;
  return out;
}

static char *param(const char *name, char *tmp) {
  if (!strcmp(name, "?")) { sprintf(tmp, "%d", g_status); return tmp; }
  if (!strcmp(name, "$")) return "1";
  if (!strcmp(name, "#")) { sprintf(tmp, "%d", g_nargs > 0 ? g_nargs - 1 : 0); return tmp; }
  if (isdigit((unsigned char)name[0])) { int i = atoi(name); return i < g_nargs ? g_args[i] : ""; }
  char *v = getenv(name);
  return v ? v : "";
}

struct fields { char **v; int n; };
static void fpush(struct fields *f, struct buf *b) {
  f->v = realloc(f->v, sizeof(char *) * (f->n + 2));
  f->v[f->n++] = strdup(b->s ? b->s : "");
  f->v[f->n] = 0;
  b->n = 0;
  if (b->s) b->s[0] = 0;
}

/* Expands one raw word into fields (unquoted expansions are split on whitespace). */
static void expand(const char *p, struct fields *out) {
  struct buf b = {0};
  int have = 0;
  bput(&b, "", 0);
  while (*p) {
    if (*p == '\'') { const char *e = strchr(p + 1, '\''); bput(&b, p + 1, e - p - 1); p = e + 1; have = 1; continue; }
    if (*p == '\\') { if (p[1]) bput(&b, p + 1, 1); p += p[1] ? 2 : 1; have = 1; continue; }
    int dq = *p == '"';
    if (dq) { p++; have = 1; }
    do {
      if (dq && *p == '"') { p++; break; }
      if (dq && *p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) { bput(&b, p + 1, 1); p += 2; continue; }
      if (*p == '$' && p[1]) {
        char name[64] = "", tmp[32], *val = 0;
        int all = 0;
        if (p[1] == '(') {
          int depth = 0;
          const char *s = p + 1;
          do { if (*s == '(') depth++; else if (*s == ')') depth--; s++; } while (*s && depth);
          char *inner = strndup(p + 2, s - p - 3);
          val = command_subst(inner);
          p = s;
        } else if (p[1] == '{') {
          const char *e = strchr(p, '}');
          snprintf(name, sizeof name, "%.*s", (int)(e - p - 2), p + 2);
          p = e + 1;
        } else if (strchr("?$#@*", p[1]) || isdigit((unsigned char)p[1])) {
          name[0] = p[1]; name[1] = 0; p += 2;
          all = name[0] == '@' || name[0] == '*';
        } else if (isalpha((unsigned char)p[1]) || p[1] == '_') {
          int k = 0;
          p++;
          while ((isalnum((unsigned char)*p) || *p == '_') && k < 63) name[k++] = *p++;
          name[k] = 0;
        } else { bput(&b, p, 1); p++; continue; }
        if (all) {
          for (int i = 1; i < g_nargs; i++) {
            if (i > 1) { if (dq) bput(&b, " ", 1); else fpush(out, &b); }
            bput(&b, g_args[i], strlen(g_args[i]));
          }
          have = have || g_nargs > 1;
          continue;
        }
        if (!val) val = param(name, tmp);
        if (dq) bput(&b, val, strlen(val));
        else {
          for (const char *v = val; *v; v++) {
            if (isspace((unsigned char)*v)) { if (b.n || have) { fpush(out, &b); have = 0; } }
            else { bput(&b, v, 1); have = 1; }
          }
        }
        continue;
      }
      if (!dq) break;
      if (!*p) break;
      bput(&b, p, 1);
      p++;
    } while (dq);
    if (!dq && *p && *p != '$' && *p != '\'' && *p != '\\' && *p != '"') { bput(&b, p, 1); p++; have = 1; }
  }
  if (b.n || have) fpush(out, &b);
  free(b.s);
}

static char *expand1(const char *w) {
  struct fields f = {0};
  expand(w, &f);
  struct buf b = {0};
  bput(&b, "", 0);
  for (int i = 0; i < f.n; i++) { if (i) bput(&b, " ", 1); bput(&b, f.v[i], strlen(f.v[i])); }
  return b.s;
}

/* ---- execution ---- */
static int is_assignment(const char *w) {
  if (!isalpha((unsigned char)*w) && *w != '_') return 0;
  while (isalnum((unsigned char)*w) || *w == '_') w++;
  return *w == '=';
}

/* Applies n's redirections to io; returns -1 on failure. Opened fds are recorded in opened[]. */
static int redirect(struct node *n, struct io *io, int *opened, int *nopen) {
  for (int i = 0; i < n->nr; i++) {
    struct redir *r = &n->r[i];
    char *word = expand1(r->word);
    int fd;
    if (r->kind == 'd') fd = atoi(word) == 1 ? io->out : atoi(word) == 2 ? io->err : atoi(word) == 0 ? io->in : atoi(word);
    else {
      int flags = r->kind == '<' ? O_RDONLY : O_WRONLY | O_CREAT | (r->kind == 'a' ? O_APPEND : O_TRUNC);
      fd = open(word, flags, 0644);
      if (fd < 0) { dprintf(io->err, "sh: can't %s %s: %s\n", r->kind == '<' ? "open" : "create", word, strerror(errno)); free(word); return -1; }
      opened[(*nopen)++] = fd;
    }
    free(word);
    if (r->fd == 0) io->in = fd; else if (r->fd == 1) io->out = fd; else if (r->fd == 2) io->err = fd;
  }
  return 0;
}

static int builtin(char **argv, int argc, struct io io, int *handled) {
  const char *c = argv[0];
  *handled = 1;
  if (!strcmp(c, "cd")) {
    const char *dir = argc > 1 ? argv[1] : getenv("HOME") ? getenv("HOME") : "/";
    if (chdir(dir) != 0) { dprintf(io.err, "sh: cd: can't cd to %s: No such file or directory\n", dir); return 2; }
    char buf[1024];
    if (getcwd(buf, sizeof buf)) setenv("PWD", buf, 1);
    return 0;
  }
  if (!strcmp(c, "exit")) { g_exit = argc > 1 ? atoi(argv[1]) & 255 : g_status; return g_exit; }
  if (!strcmp(c, "export")) {
    for (int i = 1; i < argc; i++) {
      char *eq = strchr(argv[i], '=');
      if (eq) { *eq = 0; setenv(argv[i], eq + 1, 1); *eq = '='; }
    }
    if (argc == 1) for (char **e = environ; *e; e++) dprintf(io.out, "export %s\n", *e);
    return 0;
  }
  if (!strcmp(c, "unset")) { for (int i = 1; i < argc; i++) unsetenv(argv[i]); return 0; }
  if (!strcmp(c, ":")) return 0;
  if (!strcmp(c, "break")) { g_break = 1; return 0; }
  if (!strcmp(c, "continue")) { g_continue = 1; return 0; }
  if (!strcmp(c, "shift")) { int k = argc > 1 ? atoi(argv[1]) : 1; while (k-- > 0 && g_nargs > 1) { g_args++; g_nargs--; g_args[0] = g_args[-1]; } return 0; }
  if (!strcmp(c, "set")) {
    if (argc > 1 && !strcmp(argv[1], "--")) { g_args[0] = g_args[0]; g_args = argv + 1; g_nargs = argc - 1; argv[1] = g_args[-1 + 1] ; }
    return 0;
  }
  if (!strcmp(c, "read")) {
    char line[4096];
    size_t n = 0;
    char ch;
    int got = 0;
    while (n < sizeof line - 1 && read(io.in, &ch, 1) == 1) { got = 1; if (ch == '\n') break; line[n++] = ch; }
    line[n] = 0;
    if (argc > 1) {
      char *s = line;
      for (int i = 1; i < argc; i++) {
        while (*s == ' ' || *s == '\t') s++;
        char *e = s;
        if (i < argc - 1) while (*e && *e != ' ' && *e != '\t') e++; else e = s + strlen(s);
        char save = *e; *e = 0;
        setenv(argv[i], s, 1);
        *e = save;
        s = *e ? e + 1 : e;
      }
    }
    return got ? 0 : 1;
  }
  static const char *inproc[] = {"echo", "true", "false", "pwd", "test", "[", "printenv", 0};
  for (int i = 0; inproc[i]; i++) if (!strcmp(c, inproc[i])) return find_applet(c)->fn(argc, argv, io);
  *handled = 0;
  return 0;
}

/* Starts argv as a child; returns its pid, or -1 after printing why (status 127/126 in *status). */
static int spawn_cmd(char **argv, char **assigns, int nassign, struct io io, int *status) {
  char **env = environ;
  char **merged = 0;
  if (nassign) {
    int n = 0;
    while (environ[n]) n++;
    merged = calloc(n + nassign + 1, sizeof(char *));
    memcpy(merged, environ, n * sizeof(char *));
    for (int i = 0; i < nassign; i++) merged[n + i] = assigns[i];
    env = merged;
  }
  pid_t pid;
  int fds[3] = {io.in, io.out, io.err};
  int err = tabernetes_spawn(&pid, argv, env, fds);
  free(merged);
  if (err == ENOENT) { dprintf(io.err, "sh: %s: not found\n", argv[0]); *status = 127; return -1; }
  if (err) { dprintf(io.err, "sh: %s: %s\n", argv[0], strerror(err)); *status = 126; return -1; }
  return pid;
}

/* Runs a simple command; with pids != 0 a child is left running (its pid stored) instead of waited for. */
static int exec_simple(struct node *n, struct io io, int *pid_out) {
  struct fields f = {0};
  char *assigns[32];
  int nassign = 0, i = 0;
  for (; i < n->nw && is_assignment(n->w[i]) && nassign < 32; i++) {
    char *eq = strchr(n->w[i], '=');
    char *val = expand1(eq + 1);
    char *kv = malloc(strlen(val) + (eq - n->w[i]) + 2);
    sprintf(kv, "%.*s=%s", (int)(eq - n->w[i]), n->w[i], val);
    assigns[nassign++] = kv;
    free(val);
  }
  for (; i < n->nw; i++) expand(n->w[i], &f);
  int opened[16], nopen = 0, status = 0;
  if (redirect(n, &io, opened, &nopen) != 0) status = 1;
  else if (!f.n) {
    for (int k = 0; k < nassign; k++) { char *eq = strchr(assigns[k], '='); *eq = 0; setenv(assigns[k], eq + 1, 1); }
  } else {
    int handled = 0;
    if (!nassign && !pid_out) status = builtin(f.v, f.n, io, &handled);
    if (!handled) {
      int pid = spawn_cmd(f.v, assigns, nassign, io, &status);
      if (pid > 0) {
        if (pid_out) *pid_out = pid;
        else { int st = 0; waitpid(pid, &st, 0); status = WEXITSTATUS(st); }
      }
    }
  }
  for (int k = 0; k < nopen; k++) close(opened[k]);
  return status;
}

static int exec_pipeline(struct node *n, struct io io) {
  struct node *stages[64];
  int ns = 0;
  while (n->type == N_PIPE && ns < 63) { stages[ns++] = n->b; n = n->a; }
  stages[ns++] = n;
  int pids[64], status = 0, in = io.in;
  for (int i = ns - 1, k = 0; i >= 0; i--, k++) {
    int p[2] = {-1, -1};
    if (i > 0) pipe(p);
    struct io sio = {in, i > 0 ? p[1] : io.out, io.err};
    pids[k] = -1;
    int builtin_like = stages[i]->type != N_SIMPLE;
    if (!builtin_like && stages[i]->nw) {
      char *first = expand1(stages[i]->w[0]);
      builtin_like = !strcmp(first, "cd") || !strcmp(first, "exit") || !strcmp(first, "export") || !strcmp(first, "read");
      free(first);
    }
    if (builtin_like) status = exec_node(stages[i], sio);
    else status = exec_simple(stages[i], sio, &pids[k]);
    if (i > 0) close(p[1]);
    if (in != io.in) close(in);
    in = p[0];
  }
  for (int k = 0; k < ns; k++) {
    if (pids[k] > 0) { int st = 0; waitpid(pids[k], &st, 0); status = WEXITSTATUS(st); }
  }
  return status;
}

static int exec_node(struct node *n, struct io io) {
  if (!n || g_exit >= 0) return g_status;
  int s = 0;
  switch (n->type) {
    case N_SIMPLE: s = exec_simple(n, io, 0); break;
    case N_PIPE: s = exec_pipeline(n, io); break;
    case N_NOT: s = !exec_node(n->a, io); break;
    case N_AND: s = exec_node(n->a, io); if (!s && g_exit < 0) s = exec_node(n->b, io); break;
    case N_OR: s = exec_node(n->a, io); if (s && g_exit < 0) s = exec_node(n->b, io); break;
    case N_SEQ: exec_node(n->a, io); s = (g_break || g_continue) ? g_status : exec_node(n->b, io); break;
    case N_GROUP: s = n->a ? exec_node(n->a, io) : 0; break;
    case N_IF: s = exec_node(n->a, io) == 0 ? exec_node(n->b, io) : n->c ? exec_node(n->c, io) : 0; break;
    case N_WHILE: case N_UNTIL:
      s = 0;
      while (g_exit < 0 && ((exec_node(n->a, io) == 0) == (n->type == N_WHILE))) {
        s = exec_node(n->b, io);
        if (g_break) { g_break = 0; break; }
        g_continue = 0;
      }
      break;
    case N_FOR: {
      struct fields f = {0};
      if (n->nw < 0) for (int i = 1; i < g_nargs; i++) { f.v = realloc(f.v, sizeof(char *) * (f.n + 1)); f.v[f.n++] = g_args[i]; }
      else for (int i = 0; i < n->nw; i++) expand(n->w[i], &f);
      for (int i = 0; i < f.n && g_exit < 0; i++) {
        setenv(n->var, f.v[i], 1);
        s = exec_node(n->b, io);
        if (g_break) { g_break = 0; break; }
        g_continue = 0;
      }
      break;
    }
  }
  g_status = s;
  return s;
}

/* Parses and runs src; 2 for a syntax error (printed); sets parse_incomplete for unterminated input. */
static int run_string(const char *src, struct io io) {
  int saved_tpos = tpos, saved_ntok = ntok;
  struct tok *saved = toks;
  toks = 0;
  parse_incomplete = 0;
  parse_err[0] = 0;
  int rc;
  if (tokenize(src) != 0) { rc = -1; goto out; }
  struct node *tree = parse_list(0);
  if (!parse_err[0] && peek()->type != T_EOF) fail(0);
  if (parse_err[0]) {
    if (!parse_incomplete) dprintf(io.err, "sh: syntax error: %s\n", parse_err);
    rc = parse_incomplete ? -1 : 2;
    g_status = 2;
    goto out;
  }
  rc = exec_node(tree, io);
out:
  toks = saved;
  tpos = saved_tpos;
  ntok = saved_ntok;
  return rc;
}

/* Reads one line from fd 0; with a terminal (TERM set) echoes and edits like a tty in raw mode. */
static int read_line(struct buf *line, int tty) {
  char c;
  for (;;) {
    if (read(0, &c, 1) != 1) return line->n ? 1 : 0;
    if (!tty) { if (c == '\n') return 1; bput(line, &c, 1); continue; }
    if (c == '\r' || c == '\n') { ws(1, "\r\n"); return 1; }
    if (c == 0x7f || c == 8) { if (line->n) { line->s[--line->n] = 0; ws(1, "\b \b"); } continue; }
    if (c == 3) { ws(1, "^C\r\n"); line->n = 0; if (line->s) line->s[0] = 0; return 2; }
    if (c == 4) { if (!line->n) return 0; continue; }
    if (c == 0x1b) { char seq[2]; read(0, seq, 2); continue; } /* arrows: no history yet */
    if ((unsigned char)c >= 32 || c == '\t') { bput(line, &c, 1); wr(1, &c, 1); }
  }
}

static int sh_main(int argc, char **argv) {
  struct io io = {0, 1, 2};
  if (argc > 2 && !strcmp(argv[1], "-c")) {
    g_args = argv + 2;
    g_nargs = argc - 2;
    if (g_nargs > 1) { g_args = argv + 3; g_nargs = argc - 3; } else { g_args = argv; g_nargs = 1; }
    int rc = run_string(argv[2], io);
    if (rc == -1) { dprintf(2, "sh: syntax error: unexpected end of file\n"); return 2; }
    return g_exit >= 0 ? g_exit : g_status;
  }
  g_args = argv;
  g_nargs = 1;
  if (argc > 1 && argv[1][0] != '-') {
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) { dprintf(2, "sh: can't open '%s': No such file or directory\n", argv[1]); return 2; }
    char *src; size_t n;
    readall(fd, &src, &n);
    src = realloc(src, n + 1);
    src[n] = 0;
    g_args = argv + 1;
    g_nargs = argc - 1;
    run_string(src, io);
    return g_exit >= 0 ? g_exit : g_status;
  }
  int tty = getenv("TERM") != 0;
  struct buf pending = {0};
  bput(&pending, "", 0);
  while (g_exit < 0) {
    if (tty) {
      char cwd[512];
      const char *home = getenv("HOME");
      if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
      ws(1, pending.n ? "> " : (home && !strcmp(cwd, home)) ? "~ # " : cwd);
      if (!pending.n && !(home && !strcmp(cwd, home))) ws(1, " # ");
    }
    struct buf line = {0};
    bput(&line, "", 0);
    int r = read_line(&line, tty);
    if (r == 0) { if (tty) ws(1, "\r\n"); break; }
    if (r == 2) { pending.n = 0; pending.s[0] = 0; free(line.s); continue; }
    bput(&pending, line.s, line.n);
    bput(&pending, "\n", 1);
    free(line.s);
    if (run_string(pending.s, io) == -1) continue;
    pending.n = 0;
    pending.s[0] = 0;
  }
  return g_exit >= 0 ? g_exit : g_status;
}

/* sh tokenizer and parser. tokenize() fills toks (here-document bodies are attached to their delimiter
 * token); parse_list() builds a node tree or sets parse_err (ash's text: `unexpected "fi"`, `unexpected
 * newline`, `unexpected end of file`, the last also setting parse_incomplete so the REPL reads more). */
enum { T_WORD, T_OP, T_NL, T_EOF };
struct tok { int type; char *s; char *body; int quoted; int off, end; /* source span */ };
enum { N_SIMPLE, N_PIPE, N_AND, N_OR, N_SEQ, N_NOT, N_IF, N_WHILE, N_UNTIL, N_FOR, N_GROUP, N_CASE, N_FUNC, N_SUBSHELL, N_BG };
/* kind: '<' '>' 'a' (>>) 'd' (>&, <&) 'h' (here-doc, body in word) 'H' (here-doc with expansion) */
struct redir { int fd; char kind; char *word; };
struct node {
  int type;
  char **w; int nw;
  struct redir *r; int nr;
  struct node *a, *b, *c;
  char *var; /* N_BG: the command's source text */
  struct node **arms; char ***pats; int narms; /* case: arm i runs arms[i] when a pats[i] pattern matches */
};

static struct tok *toks; static int ntok, tpos, parse_incomplete;
static const char *tok_src; /* the text being tokenized (token spans are offsets into it) */
static char parse_err[128];

static int isop(char c) { return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')'; }

static void addtok(int type, const char *s, size_t n) {
  toks = realloc(toks, sizeof *toks * (ntok + 1));
  toks[ntok] = (struct tok){type, strndup(s, n), 0, 0, (int)(s - tok_src), (int)(s - tok_src + n)};
  ntok++;
}

/* Skips a `...` command substitution starting at p ('`'); returns the end or 0 when unterminated. */
static const char *skip_backtick(const char *p) {
  for (p++; *p && *p != '`'; p++) if (*p == '\\' && p[1]) p++;
  return *p ? p + 1 : 0;
}

/* Skips a balanced $( ) / ${ } starting at p ('$'); returns the end or 0 when unterminated. */
static const char *skip_subst(const char *p) {
  char open = p[1], close = open == '(' ? ')' : '}';
  int depth = 0;
  p++;
  do {
    if (*p == '\'' && close == ')') { const char *e = strchr(p + 1, '\''); if (!e) return 0; p = e; }
    if (*p == '`') { const char *e = skip_backtick(p); if (!e) return 0; p = e - 1; }
    if (*p == open) depth++; else if (*p == close) depth--;
    p++;
  } while (*p && depth);
  return depth ? 0 : p;
}

/* Reads the here-document bodies pending after a newline; strips leading tabs for <<-. */
static const char *read_heredocs(const char *p, int *pending, int *npending) {
  for (int i = 0; i < *npending; i++) {
    struct tok *t = &toks[pending[i]];
    int strip = t->body != 0;
    char *delim = t->s;
    size_t cap = 64, n = 0;
    char *body = malloc(cap);
    while (*p) {
      const char *e = strchr(p, '\n');
      if (!e) e = p + strlen(p);
      const char *l = p;
      if (strip) while (*l == '\t') l++;
      if ((size_t)(e - l) == strlen(delim) && !strncmp(l, delim, e - l)) { p = *e ? e + 1 : e; goto done; }
      while (n + (e - l) + 2 > cap) body = realloc(body, cap *= 2);
      memcpy(body + n, l, e - l);
      n += e - l;
      body[n++] = '\n';
      p = *e ? e + 1 : e;
    }
  done:
    body[n] = 0;
    t->body = body;
  }
  *npending = 0;
  return p;
}

/* Splits src into tokens; returns 0, or -1 with parse_incomplete set for an unterminated quote. */
static int tokenize(const char *p) {
  int pending[16], npending = 0, heredoc_next = 0;
  ntok = tpos = 0;
  tok_src = p;
  while (*p) {
    if (*p == ' ' || *p == '\t' || *p == '\r') { p++; continue; }
    if (*p == '\\' && p[1] == '\n') { p += 2; continue; }
    if (*p == '#') { while (*p && *p != '\n') p++; continue; }
    if (*p == '\n') { addtok(T_NL, "\n", 1); p++; p = read_heredocs(p, pending, &npending); continue; }
    const char *s = p;
    if (isdigit((unsigned char)p[0]) && (p[1] == '>' || p[1] == '<')) p++;
    if (isop(*p)) {
      if (p[0] == '<' && p[1] == '<') { p += p[2] == '-' ? 3 : 2; heredoc_next = p[-1] == '-' ? 2 : 1; }
      else if ((p[0] == '>' && p[1] == '>') || (p[0] == '&' && p[1] == '&') || (p[0] == '|' && p[1] == '|') || (p[0] == '>' && p[1] == '&') || (p[0] == '<' && p[1] == '&') || (p[0] == ';' && p[1] == ';')) p += 2;
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
        while (*p && *p != '"') {
          if (*p == '$' && (p[1] == '(' || p[1] == '{')) { const char *e = skip_subst(p); if (!e) { parse_incomplete = 1; return -1; } p = e; }
          else if (*p == '`') { const char *e = skip_backtick(p); if (!e) { parse_incomplete = 1; return -1; } p = e; }
          else p += (*p == '\\' && p[1]) ? 2 : 1;
        }
        if (!*p) { parse_incomplete = 1; return -1; }
        p++;
      } else if (*p == '$' && (p[1] == '(' || p[1] == '{')) {
        p = skip_subst(p);
        if (!p) { parse_incomplete = 1; return -1; }
      } else if (*p == '`') {
        p = skip_backtick(p);
        if (!p) { parse_incomplete = 1; return -1; }
      } else p++;
    }
    addtok(T_WORD, s, p - s);
    if (heredoc_next && npending < 16) {
      struct tok *t = &toks[ntok - 1];
      t->quoted = strpbrk(t->s, "'\"\\") != 0;
      if (t->quoted) { /* the delimiter is the word with its quotes removed */
        char *d = t->s, *o = d;
        for (char *i = d; *i; i++) if (*i != '\'' && *i != '"' && *i != '\\') *o++ = *i;
        *o = 0;
      }
      t->body = heredoc_next == 2 ? "" : 0; /* marks <<- until the body replaces it */
      pending[npending++] = ntok - 1;
      heredoc_next = 0;
    }
  }
  if (npending) read_heredocs(p, pending, &npending);
  addtok(T_EOF, "", 0);
  return 0;
}

static struct tok *peek(void) { return &toks[tpos]; }
static int is(const char *s) { return (peek()->type == T_WORD || peek()->type == T_OP) && !strcmp(peek()->s, s); }
static void skipnl(void) { while (peek()->type == T_NL) tpos++; }
static struct node *mk(int type) { struct node *n = calloc(1, sizeof *n); n->type = type; return n; }

static int is_keyword(const char *s) {
  static const char *r[] = {"if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in", "{", "}", "!", 0};
  for (int i = 0; r[i]; i++) if (!strcmp(s, r[i])) return 1;
  return 0;
}

static void fail(const char *what) {
  if (parse_err[0]) return;
  struct tok *t = peek();
  if (what) snprintf(parse_err, sizeof parse_err, "unexpected %s", what);
  else if (t->type == T_EOF) { parse_incomplete = 1; snprintf(parse_err, sizeof parse_err, "unexpected end of file"); }
  else if (t->type == T_NL) snprintf(parse_err, sizeof parse_err, "unexpected newline");
  else if (t->type == T_OP && strchr("<>0123456789", t->s[0])) snprintf(parse_err, sizeof parse_err, "unexpected redirection");
  else if (t->type == T_OP || is_keyword(t->s)) snprintf(parse_err, sizeof parse_err, "unexpected \"%s\"", t->s);
  else snprintf(parse_err, sizeof parse_err, "unexpected word");
}
/* ash appends the token it required: `unexpected end of file (expecting "fi")`. */
static void fail_expecting(const char *s) {
  if (parse_err[0]) return;
  fail(0);
  size_t l = strlen(parse_err);
  snprintf(parse_err + l, sizeof parse_err - l, " (expecting \"%s\")", s);
}
static int expect(const char *s) { skipnl(); if (!is(s)) { fail_expecting(s); return 0; } tpos++; return 1; }

static struct node *parse_list(const char **stops);
static struct node *parse_command(void);
static const char *STOP_THEN[] = {"then", 0}, *STOP_ELSE[] = {"elif", "else", "fi", 0}, *STOP_DO[] = {"do", 0}, *STOP_DONE[] = {"done", 0}, *STOP_BRACE[] = {"}", 0}, *STOP_ARM[] = {";;", "esac", 0};

static int reserved(void) {
  static const char *r[] = {"then", "else", "elif", "fi", "do", "done", "}", "esac", 0};
  if (peek()->type != T_WORD) return 0;
  for (int i = 0; r[i]; i++) if (!strcmp(peek()->s, r[i])) return 1;
  return 0;
}

/* Parses redirections following a command into n; returns 0 after fail(). */
static int parse_redirs(struct node *n) {
  for (;;) {
    struct tok *t = peek();
    if (!(t->type == T_OP && (strchr("<>", t->s[0]) || (isdigit((unsigned char)t->s[0]) && strchr("<>", t->s[1]))))) return 1;
    struct redir r = {1, '>', 0};
    const char *o = t->s;
    if (isdigit((unsigned char)*o)) r.fd = *o++ - '0';
    else if (*o == '<') r.fd = 0;
    r.kind = !strncmp(o, "<<", 2) ? 'h' : !strcmp(o, ">>") ? 'a' : (!strcmp(o, ">&") || !strcmp(o, "<&")) ? 'd' : *o;
    tpos++;
    if (peek()->type != T_WORD) { fail(0); return 0; }
    if (r.kind == 'h') { r.word = peek()->body ? peek()->body : ""; if (!peek()->quoted) r.kind = 'H'; }
    else r.word = peek()->s;
    tpos++;
    n->r = realloc(n->r, sizeof *n->r * (n->nr + 1));
    n->r[n->nr++] = r;
  }
}

static struct node *parse_case(void) {
  struct node *n = mk(N_CASE);
  if (peek()->type != T_WORD) { fail(0); return 0; }
  n->var = toks[tpos++].s;
  skipnl();
  if (!is("in")) { fail_expecting("in"); return 0; }
  tpos++;
  for (;;) {
    skipnl();
    if (is("esac")) { tpos++; return n; }
    if (is("(")) tpos++;
    char **pats = 0; int np = 0;
    for (;;) {
      if (peek()->type != T_WORD) { fail(0); return 0; }
      pats = realloc(pats, sizeof(char *) * (np + 2));
      pats[np++] = toks[tpos++].s;
      pats[np] = 0;
      if (!is("|")) break;
      tpos++;
    }
    if (!is(")")) { fail_expecting(")"); return 0; }
    tpos++;
    n->arms = realloc(n->arms, sizeof *n->arms * (n->narms + 1));
    n->pats = realloc(n->pats, sizeof *n->pats * (n->narms + 1));
    n->pats[n->narms] = pats;
    n->arms[n->narms++] = parse_list(STOP_ARM);
    if (parse_err[0]) return 0;
    skipnl();
    if (is(";;")) tpos++;
    else if (!is("esac")) { fail(0); return 0; }
  }
}

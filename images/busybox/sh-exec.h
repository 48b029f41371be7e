/* sh execution of parsed trees. Builtins and functions run in-process; other commands run as children
 * (tabernetes_spawn) found in PATH. `set -e` exits on a failing command outside conditions; `set -x`
 * traces simple commands on stderr as "+ cmd args". Signals with a trap run it between commands. */
static int run_subshell(struct node *n, struct io io);
static int bg_start(struct node *n, struct io io);
static int g_subst_rc;
static int is_assignment(const char *w) {
  if (!isalpha((unsigned char)*w) && *w != '_') return 0;
  while (isalnum((unsigned char)*w) || *w == '_') w++;
  return *w == '=';
}

/* Applies n's redirections to io; returns -1 on failure. Opened fds are recorded in opened[16]. */
static int redirect(struct node *n, struct io *io, int *opened, int *nopen) {
  for (int i = 0; i < n->nr && *nopen < 16; i++) {
    struct redir *r = &n->r[i];
    int fd;
    if (r->kind == 'h' || r->kind == 'H') {
      char *body = r->kind == 'H' ? expand_heredoc(r->word) : strdup(r->word);
      int p[2];
      pipe(p);
      wr(p[1], body, strlen(body));
      close(p[1]);
      free(body);
      fd = opened[(*nopen)++] = p[0];
    } else {
      char *word = expand1(r->word);
      if (r->kind == 'd') { int k = atoi(word); fd = k == 1 ? io->out : k == 2 ? io->err : k == 0 ? io->in : k; }
      else {
        int flags = r->kind == '<' ? O_RDONLY : O_WRONLY | O_CREAT | (r->kind == 'a' ? O_APPEND : O_TRUNC);
        fd = open(word, flags, 0644);
        if (fd < 0) { dprintf(io->err, "sh: can't %s %s: %s\n", r->kind == '<' ? "open" : "create", word, strerror(errno)); free(word); return -1; }
        opened[(*nopen)++] = fd;
      }
      free(word);
    }
    if (r->fd == 0) io->in = fd; else if (r->fd == 1) io->out = fd; else if (r->fd == 2) io->err = fd;
  }
  return 0;
}

/* Starts argv as a child; returns its pid, or -1 after printing why (status 127/126 in *status). */
static int spawn_cmd(char **argv, char **assigns, int nassign, struct io io, int *status) {
  char **env = environ, **merged = 0;
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

/* Runs a function body with argv as $0.. ($0 stays the shell's); `return` ends it. */
static int call_func(struct node *body, char **argv, int argc, struct io io) {
  char **saved = g_args; int nsaved = g_nargs;
  char **v = calloc(argc + 1, sizeof(char *));
  memcpy(v, argv, argc * sizeof(char *));
  v[0] = g_args[0];
  g_args = v; g_nargs = argc;
  int d = g_depth++;
  int s = exec_node(body, io);
  g_depth--;
  pop_locals(d);
  g_return = 0;
  g_args = saved; g_nargs = nsaved;
  free(v);
  return s;
}

/* Runs a simple command; with pid_out != 0 a child is left running (its pid stored) instead of waited for. */
static int exec_simple(struct node *n, struct io io, int *pid_out) {
  struct fields f = {0};
  char *assigns[32];
  int nassign = 0, i = 0;
  g_subst_rc = 0;
  for (; i < n->nw && is_assignment(n->w[i]) && nassign < 32; i++) {
    char *eq = strchr(n->w[i], '=');
    char *val = expand1(eq + 1);
    char *kv = malloc(strlen(val) + (eq - n->w[i]) + 2);
    sprintf(kv, "%.*s=%s", (int)(eq - n->w[i]), n->w[i], val);
    assigns[nassign++] = kv;
    free(val);
  }
  for (; i < n->nw; i++) expand(n->w[i], &f);
  if (g_exit >= 0) return g_status;
  if (opt_x && (f.n || nassign)) {
    struct buf t = {0};
    bput(&t, "+", 1);
    for (int k = 0; k < nassign; k++) { bput(&t, " ", 1); bput(&t, assigns[k], strlen(assigns[k])); }
    for (int k = 0; k < f.n; k++) { bput(&t, " ", 1); bput(&t, f.v[k], strlen(f.v[k])); }
    bput(&t, "\n", 1);
    wr(io.err, t.s, t.n);
    free(t.s);
  }
  int opened[16], nopen = 0, status = 0;
  struct node *fn = f.n ? find_func(f.v[0]) : 0;
  if (redirect(n, &io, opened, &nopen) != 0) status = 1;
  else if (!f.n) {
    for (int k = 0; k < nassign; k++) { char *eq = strchr(assigns[k], '='); *eq = 0; setenv(assigns[k], eq + 1, 1); }
    status = g_subst_rc;
  } else if (fn) status = call_func(fn, f.v, f.n, io);
  else {
    int handled = 0;
    if (!pid_out) { /* prefix assignments hold for the builtin only */
      char *old[32];
      for (int k = 0; k < nassign; k++) {
        char *eq = strchr(assigns[k], '='); *eq = 0;
        old[k] = getenv(assigns[k]) ? strdup(getenv(assigns[k])) : 0;
        setenv(assigns[k], eq + 1, 1); *eq = '=';
      }
      status = builtin(f.v, f.n, io, &handled);
      for (int k = nassign - 1; k >= 0; k--) {
        char *eq = strchr(assigns[k], '='); *eq = 0;
        if (old[k]) setenv(assigns[k], old[k], 1); else unsetenv(assigns[k]);
        *eq = '='; free(old[k]);
      }
    }
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
      builtin_like = !strcmp(first, "cd") || !strcmp(first, "exit") || !strcmp(first, "export") || !strcmp(first, "read") || find_func(first);
      free(first);
    }
    if (builtin_like) status = ns > 1 ? run_subshell(stages[i], sio) : exec_node(stages[i], sio);
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

/* Runs the traps of signals delivered since the last call. */
static void run_traps(struct io io) {
  unsigned sigs = g_pending_sigs;
  g_pending_sigs = 0;
  for (int sig = 1; sig < 32; sig++) {
    if (!(sigs & (1u << sig)) || !traps[sig]) continue;
    int saved = g_status;
    run_string(traps[sig], io);
    g_status = saved;
  }
}

static int cond(struct node *n, struct io io) { g_cond++; int s = exec_node(n, io); g_cond--; return s; }
static int stop_seq(void) { return g_break || g_continue || g_return || g_exit >= 0; }

static int exec_loop_body(struct node *n, struct io io, int *s) {
  *s = exec_node(n, io);
  if (g_break) { g_break = 0; return 1; }
  g_continue = 0;
  return g_return || g_exit >= 0;
}

static int exec_node(struct node *n, struct io io) {
  if (!n || g_exit >= 0) return g_status;
  int s = 0, opened[16], nopen = 0;
  if (n->nr && n->type != N_SIMPLE && redirect(n, &io, opened, &nopen) != 0) { g_status = 1; return 1; }
  switch (n->type) {
    case N_SIMPLE: s = exec_simple(n, io, 0); break;
    case N_PIPE: s = exec_pipeline(n, io); break;
    case N_NOT: s = !cond(n->a, io); break;
    case N_AND: s = cond(n->a, io); if (!s && !stop_seq()) s = exec_node(n->b, io); break;
    case N_OR: s = cond(n->a, io); if (s && !stop_seq()) s = exec_node(n->b, io); break;
    case N_SEQ: exec_node(n->a, io); s = stop_seq() ? g_status : exec_node(n->b, io); break;
    case N_GROUP: s = n->a ? exec_node(n->a, io) : 0; break;
    case N_IF: s = cond(n->a, io) == 0 ? exec_node(n->b, io) : n->c ? exec_node(n->c, io) : 0; break;
    case N_FUNC: define_func(n->var, n->a); s = 0; break;
    case N_SUBSHELL: s = run_subshell(n->a, io); break;
    case N_BG: s = bg_start(n, io); break;
    case N_WHILE: case N_UNTIL:
      while (g_exit < 0 && ((cond(n->a, io) == 0) == (n->type == N_WHILE)))
        if (exec_loop_body(n->b, io, &s)) break;
      break;
    case N_FOR: {
      struct fields f = {0};
      if (n->nw < 0) for (int i = 1; i < g_nargs; i++) fadd(&f, g_args[i]);
      else for (int i = 0; i < n->nw; i++) expand(n->w[i], &f);
      for (int i = 0; i < f.n && g_exit < 0; i++) {
        setenv(n->var, f.v[i], 1);
        if (exec_loop_body(n->b, io, &s)) break;
      }
      break;
    }
    case N_CASE: {
      char *word = expand1(n->var);
      for (int i = 0; i < n->narms; i++) {
        int hit = 0;
        for (char **p = n->pats[i]; *p && !hit; p++) { char *pat = expand_pat(*p); hit = !fnmatch(pat, word, 0); free(pat); }
        if (hit) { s = n->arms[i] ? exec_node(n->arms[i], io) : 0; break; }
      }
      free(word);
      break;
    }
  }
  for (int k = 0; k < nopen; k++) close(opened[k]);
  g_status = s;
  if (opt_e && s && !g_cond && g_exit < 0 && (n->type == N_SIMPLE || n->type == N_PIPE || n->type == N_SUBSHELL)) g_exit = s;
  if (g_pending_sigs) run_traps(io);
  return s;
}

/* Parses and runs src; 2 for a syntax error (printed); -1 with parse_incomplete for unterminated input. */
static int run_string(const char *src, struct io io) {
  int saved_tpos = tpos, saved_ntok = ntok;
  struct tok *saved = toks;
  const char *saved_src = tok_src;
  toks = 0;
  parse_incomplete = 0;
  parse_err[0] = 0;
  int rc;
  if (tokenize(src) != 0) { rc = -1; goto out; }
  struct node *tree = parse_list(0);
  if (!parse_err[0] && peek()->type != T_EOF) fail(0);
  if (parse_err[0]) {
    if (!parse_incomplete || !g_interactive) dprintf(io.err, "sh: syntax error: %s\n", parse_err);
    rc = parse_incomplete && g_interactive ? -1 : 2;
    g_status = 2;
    if (!g_interactive) g_exit = 2;
    goto out;
  }
  rc = exec_node(tree, io);
out:
  toks = saved;
  tok_src = saved_src;
  tpos = saved_tpos;
  ntok = saved_ntok;
  return rc;
}

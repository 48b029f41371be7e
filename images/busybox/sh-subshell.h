/* sh subshells without fork: `( list )`, $(...) and `...`, and the in-process stages of a pipeline run in the
 * shell's own process with its state saved before and restored after — variables (all in environ), cwd,
 * positional parameters, set -e/-x, functions, traps and locals — so nothing leaks out; `exit` ends only the
 * subshell, whose status is the exit code. Traps are reset inside (an EXIT trap set inside runs when it
 * ends). Background jobs (N_BG) start here too: a plain external command is spawned directly, anything
 * else as `sh -c TEXT $0 $1...` (shell functions are not inherited by that child). */
struct shstate {
  char **env; char *cwd; char **args; int nargs, e, x, nfuncs, nlocals, depth;
  struct func *funcs; char *traps[32];
};

static void state_save(struct shstate *s) {
  int n = 0;
  while (environ[n]) n++;
  s->env = calloc(n + 1, sizeof(char *));
  for (int i = 0; i < n; i++) s->env[i] = strdup(environ[i]);
  char buf[1024];
  s->cwd = strdup(getcwd(buf, sizeof buf) ? buf : "/");
  s->args = g_args; s->nargs = g_nargs; s->e = opt_e; s->x = opt_x;
  s->nfuncs = nfuncs;
  s->funcs = malloc(sizeof *funcs * (nfuncs + 1));
  if (nfuncs) memcpy(s->funcs, funcs, sizeof *funcs * nfuncs);
  s->nlocals = nlocals; s->depth = g_depth;
  memcpy(s->traps, traps, sizeof traps);
  memset(traps, 0, sizeof traps);
}

static void state_restore(struct shstate *s) {
  int n = 0;
  while (environ[n]) n++;
  char **names = calloc(n + 1, sizeof(char *));
  for (int i = 0; i < n; i++) names[i] = strndup(environ[i], strcspn(environ[i], "="));
  for (int i = 0; i < n; i++) { unsetenv(names[i]); free(names[i]); }
  free(names);
  for (char **e = s->env; *e; e++) {
    char *eq = strchr(*e, '=');
    if (eq) { *eq = 0; setenv(*e, eq + 1, 1); }
    free(*e);
  }
  free(s->env);
  if (chdir(s->cwd) != 0) chdir("/");
  free(s->cwd);
  g_args = s->args; g_nargs = s->nargs; opt_e = s->e; opt_x = s->x;
  free(funcs);
  funcs = s->funcs; nfuncs = s->nfuncs;
  pop_locals(s->depth);
  while (nlocals > s->nlocals) { nlocals--; free(locals[nlocals].name); free(locals[nlocals].value); }
  g_depth = s->depth;
  for (int i = 0; i < 32; i++) {
    if (i && traps[i] != s->traps[i]) signal(i, !s->traps[i] ? SIG_DFL : !*s->traps[i] ? SIG_IGN : on_signal);
    traps[i] = s->traps[i];
  }
  g_exit = -1;
  g_break = g_continue = g_return = 0;
}

/* The status of a finished subshell: its exit code, after its own EXIT trap. */
static int subshell_end(int s) {
  if (g_exit >= 0) s = g_exit;
  if (traps[0]) { char *t = traps[0]; traps[0] = 0; g_exit = -1; g_status = s; run_string(t, (struct io){0, 1, 2}); }
  return s;
}

static int run_subshell(struct node *n, struct io io) {
  struct shstate st;
  state_save(&st);
  int s = subshell_end(exec_node(n, io));
  state_restore(&st);
  return s;
}

/* g_subst_rc (sh-exec.h): the status of the last command substitution, an assignment-only command's $? */
static int run_subshell_string(const char *src, struct io io) {
  struct shstate st;
  state_save(&st);
  run_string(src, io);
  int s = subshell_end(g_status);
  state_restore(&st);
  g_subst_rc = g_status = s;
  return s;
}

/* Starts n (N_BG) without waiting: $! is its pid; stdin is /dev/null, as ash without job control. */
static int bg_start(struct node *n, struct io io) {
  static const char *shell_only[] = {"cd", "exit", "export", "unset", ":", "break", "continue", "return", "local", "shift", "set", "read", "trap", "jobs", "wait", "kill", 0};
  struct node *a = n->a;
  int devnull = open("/dev/null", O_RDONLY), pid = -1, status = 0;
  if (devnull >= 0) io.in = devnull;
  int direct = a->type == N_SIMPLE && a->nw && !is_assignment(a->w[0]);
  if (direct) {
    char *first = expand1(a->w[0]);
    for (int i = 0; shell_only[i]; i++) if (!strcmp(first, shell_only[i])) direct = 0;
    if (find_func(first)) direct = 0;
    free(first);
  }
  if (direct) exec_simple(a, io, &pid);
  else {
    char **argv = calloc(g_nargs + 4, sizeof(char *));
    argv[0] = "sh"; argv[1] = "-c"; argv[2] = n->var;
    for (int i = 0; i < g_nargs; i++) argv[3 + i] = g_args[i];
    pid = spawn_cmd(argv, 0, 0, io, &status);
    free(argv);
  }
  if (devnull >= 0) close(devnull);
  if (pid <= 0) return status;
  job_add(pid, n->var);
  if (g_interactive) dprintf(io.err, "[%d] %d\n", jobs[njobs - 1].id, pid);
  return 0;
}

/* sh builtins run in the shell process: cd exit export unset : break continue return local shift set read
 * trap, plus the in-process applets echo true false pwd test [ printenv. Shell functions and `local`'s
 * saved values live here too; a function's locals are restored when it returns. */
static int g_break, g_continue, g_return, opt_e, opt_x, g_cond;
struct func { char *name; struct node *body; };
static struct func *funcs; static int nfuncs;
struct saved { char *name, *value; int depth; };
static struct saved *locals; static int nlocals, g_depth;
static char *traps[32]; /* traps[0] is EXIT */
static volatile unsigned g_pending_sigs;

static int builtin_jobs(struct io io);
static int builtin_wait(char **argv, int argc, struct io io);
static int builtin_kill(char **argv, int argc, struct io io);

static struct node *find_func(const char *name) {
  for (int i = 0; i < nfuncs; i++) if (!strcmp(funcs[i].name, name)) return funcs[i].body;
  return 0;
}
static void define_func(char *name, struct node *body) {
  for (int i = 0; i < nfuncs; i++) if (!strcmp(funcs[i].name, name)) { funcs[i].body = body; return; }
  funcs = realloc(funcs, sizeof *funcs * (nfuncs + 1));
  funcs[nfuncs++] = (struct func){name, body};
}

/* Restores the variables made local at depth > d. */
static void pop_locals(int d) {
  while (nlocals && locals[nlocals - 1].depth > d) {
    struct saved *s = &locals[--nlocals];
    if (s->value) setenv(s->name, s->value, 1); else unsetenv(s->name);
    free(s->name); free(s->value);
  }
}

/* Linux's signal names by number (0: the shell's EXIT pseudo-signal), for trap and kill. */
static const char *const sig_names[32] = {"EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
  "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
  "WINCH", "IO", "PWR", "SYS"};

static int sig_number(const char *s) {
  if (isdigit((unsigned char)*s)) return atoi(s) < 32 ? atoi(s) : -1;
  if (!strncmp(s, "SIG", 3)) s += 3;
  for (int i = 0; i < 32; i++) if (!strcmp(sig_names[i], s)) return i;
  return -1;
}
static void on_signal(int sig) { g_pending_sigs |= 1u << sig; }

static int builtin_trap(char **argv, int argc, struct io io) {
  if (argc == 1) {
    for (int i = 0; i < 32; i++) if (traps[i]) dprintf(io.out, "trap -- '%s' %s\n", traps[i], sig_names[i]);
    return 0;
  }
  int first = 1;
  const char *action = argv[1];
  if (sig_number(argv[1]) >= 0 && argc == 2) action = "-"; else first = 2;
  for (int i = first; i < argc; i++) {
    int sig = sig_number(argv[i]);
    if (sig < 0) { dprintf(io.err, "sh: trap: %s: invalid signal specification\n", argv[i]); return 1; }
    free(traps[sig]);
    traps[sig] = strcmp(action, "-") ? strdup(action) : 0;
    if (sig > 0) signal(sig, !traps[sig] ? SIG_DFL : !*traps[sig] ? SIG_IGN : on_signal);
  }
  return 0;
}

/* read [-r] [-p PROMPT] NAME...: one line split on $IFS; the last name takes the rest. 1 at end of input. */
static int builtin_read(char **argv, int argc, struct io io) {
  int raw = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (!strcmp(argv[i], "-r")) raw = 1;
    else if (!strcmp(argv[i], "-p") && i + 1 < argc) ws(io.err, argv[++i]);
  }
  struct buf line = {0};
  bput(&line, "", 0);
  char ch;
  int got = 0, eof = 1;
  while (read(io.in, &ch, 1) == 1) {
    got = 1;
    if (!raw && ch == '\\') { if (read(io.in, &ch, 1) != 1) break; if (ch == '\n') continue; bput(&line, "\\", 1); bput(&line, &ch, 1); continue; }
    if (ch == '\n') { eof = 0; break; }
    bput(&line, &ch, 1);
  }
  const char *ifs = getenv("IFS") ? getenv("IFS") : " \t\n";
  char *s = line.s;
  const char *names[64]; int nn = 0;
  for (; i < argc && nn < 64; i++) names[nn++] = argv[i];
  if (!nn) { names[0] = "REPLY"; nn = 1; }
  #define IFSWS(c) ((c) && strchr(ifs, (c)) && isspace((unsigned char)(c)))
  for (int k = 0; k < nn; k++) {
    while (IFSWS(*s)) s++;
    struct buf v = {0};
    bput(&v, "", 0);
    if (k == nn - 1) {
      for (; *s; s++) { if (!raw && *s == '\\' && s[1]) s++; bput(&v, s, 1); }
      while (v.n && IFSWS(v.s[v.n - 1])) v.s[--v.n] = 0;
    } else {
      for (; *s && !strchr(ifs, *s); s++) { if (!raw && *s == '\\' && s[1]) s++; bput(&v, s, 1); }
      while (IFSWS(*s)) s++;
      if (*s && strchr(ifs, *s)) s++;
    }
    setenv(names[k], v.s, 1);
    free(v.s);
  }
  #undef IFSWS
  free(line.s);
  (void)got;
  return eof ? 1 : 0;
}

static int builtin(char **argv, int argc, struct io io, int *handled) {
  const char *c = argv[0];
  *handled = 1;
  if (!strcmp(c, "cd")) {
    const char *dir = argc > 1 ? argv[1] : getenv("HOME") ? getenv("HOME") : "/";
    if (!strcmp(dir, "-")) dir = getenv("OLDPWD") ? getenv("OLDPWD") : "/";
    char old[1024], buf[1024];
    if (!getcwd(old, sizeof old)) strcpy(old, "/");
    if (chdir(dir) != 0) { dprintf(io.err, "sh: cd: can't cd to %s: No such file or directory\n", dir); return 2; }
    setenv("OLDPWD", old, 1);
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
  if (!strcmp(c, "return")) { g_return = 1; return argc > 1 ? atoi(argv[1]) & 255 : g_status; }
  if (!strcmp(c, "local")) {
    for (int i = 1; i < argc; i++) {
      char *eq = strchr(argv[i], '=');
      if (eq) *eq = 0;
      const char *old = getenv(argv[i]);
      locals = realloc(locals, sizeof *locals * (nlocals + 1));
      locals[nlocals++] = (struct saved){strdup(argv[i]), old ? strdup(old) : 0, g_depth};
      if (eq) { setenv(argv[i], eq + 1, 1); *eq = '='; }
    }
    return 0;
  }
  if (!strcmp(c, "shift")) {
    int k = argc > 1 ? atoi(argv[1]) : 1;
    if (k > g_nargs - 1 || k < 0) return 1;
    char *zero = g_args[0];
    g_args += k; g_nargs -= k; g_args[0] = zero;
    return 0;
  }
  if (!strcmp(c, "set")) {
    int i = 1;
    for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && strcmp(argv[i], "--"); i++)
      for (const char *o = argv[i] + 1; *o; o++) {
        if (*o == 'e') opt_e = argv[i][0] == '-';
        else if (*o == 'x') opt_x = argv[i][0] == '-';
      }
    if (i < argc && !strcmp(argv[i], "--")) i++;
    if (i < argc || (argc > 1 && !strcmp(argv[argc - 1], "--"))) {
      char **v = calloc(argc - i + 2, sizeof(char *));
      v[0] = g_args[0];
      for (int k = i; k < argc; k++) v[k - i + 1] = strdup(argv[k]);
      g_args = v; g_nargs = argc - i + 1;
    }
    if (argc == 1) for (char **e = environ; *e; e++) dprintf(io.out, "%s\n", *e);
    return 0;
  }
  if (!strcmp(c, "read")) return builtin_read(argv, argc, io);
  if (!strcmp(c, "trap")) return builtin_trap(argv, argc, io);
  if (!strcmp(c, "jobs")) return builtin_jobs(io);
  if (!strcmp(c, "wait")) return builtin_wait(argv, argc, io);
  if (!strcmp(c, "kill")) return builtin_kill(argv, argc, io);
  static const char *inproc[] = {"echo", "true", "false", "pwd", "test", "[", "printenv", 0};
  for (int i = 0; inproc[i]; i++) if (!strcmp(c, inproc[i])) return find_applet(c)->fn(argc, argv, io);
  *handled = 0;
  return 0;
}

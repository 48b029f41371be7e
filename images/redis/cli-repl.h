/*
 * cli-repl.h: redis-cli's interactive mode. On a terminal: the `127.0.0.1:6379> ` prompt (`[n]` after
 * SELECT n, `not connected> ` without a server), echo and editing (backspace, Ctrl-U, Ctrl-C/Ctrl-D on an
 * empty line quit; arrow keys are ignored), since the container's terminal has no line discipline.
 * Without a terminal: one command per stdin line, no prompt. `quit`/`exit` end it. Arguments split like
 * cliSplitArgs: spaces, "double quotes" with \n \t \" \\ \xNN escapes, 'single quotes'.
 */

static void prompt(void) {
  if (!tty) return;
  if (sock < 0) printf("not connected> ");
  else if (dbnum) printf("%s:%d[%d]> ", host, port, dbnum);
  else printf("%s:%d> ", host, port);
  fflush(stdout);
}

/* Reads one line; on a terminal echoes and edits it. Returns -1 at EOF or Ctrl-C/Ctrl-D. */
static int read_input(char *line, size_t cap) {
  size_t n = 0;
  for (;;) {
    char ch;
    ssize_t got = read(0, &ch, 1);
    if (got <= 0) return n ? (line[n] = 0, 0) : -1;
    if (!tty) {
      if (ch == '\n') break;
      if (ch != '\r' && n + 1 < cap) line[n++] = ch;
      continue;
    }
    if (ch == '\r' || ch == '\n') {
      printf("\n");
      break;
    }
    if (ch == 3 || (ch == 4 && !n)) return printf("\n"), fflush(stdout), -1;
    if (ch == 127 || ch == 8) {
      if (n) n--, printf("\b \b");
    } else if (ch == 21) {
      while (n) n--, printf("\b \b");
    } else if (ch == 27) {
      char seq[2];
      if (read(0, &seq[0], 1) == 1 && seq[0] == '[') (void)read(0, &seq[1], 1);
    } else if ((unsigned char)ch >= 32 && n + 1 < cap) {
      line[n++] = ch;
      putchar(ch);
    }
    fflush(stdout);
  }
  line[n] = 0;
  return 0;
}

/* Splits line into argv (malloc'd strings, lens set); returns argc, or -1 on unbalanced quotes. */
static int split_args(const char *p, char **argv, size_t *lens, int max) {
  int argc = 0;
  for (;;) {
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) return argc;
    if (argc == max) return argc;
    char *out = malloc(strlen(p) + 1);
    size_t o = 0;
    char quote = 0;
    for (; *p; p++) {
      if (quote == '"' && *p == '\\' && p[1]) {
        p++;
        if (*p == 'x' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
          char hex[3] = {p[1], p[2], 0};
          out[o++] = (char)strtol(hex, NULL, 16);
          p += 2;
        } else out[o++] = *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t' : *p == 'b' ? '\b' : *p == 'a' ? '\a' : *p;
      } else if (quote == '\'' && *p == '\\' && p[1] == '\'') out[o++] = *++p;
      else if (quote && *p == quote) {
        quote = 0;
        if (p[1] && p[1] != ' ' && p[1] != '\t') return free(out), -1;
      } else if (!quote && (*p == '"' || *p == '\'')) quote = *p;
      else if (!quote && (*p == ' ' || *p == '\t')) break;
      else out[o++] = *p;
    }
    if (quote) return free(out), -1;
    out[o] = 0;
    argv[argc] = out;
    lens[argc++] = o;
  }
}

static int repl(void) {
  char line[8192];
  for (;;) {
    prompt();
    if (read_input(line, sizeof line) < 0) break;
    char *argv[256];
    size_t lens[256];
    int argc = split_args(line, argv, lens, 256);
    if (argc < 0) {
      printf("Invalid argument(s)\n");
      fflush(stdout);
      continue;
    }
    if (!argc) continue;
    int quit = !strcasecmp(argv[0], "quit") || !strcasecmp(argv[0], "exit");
    if (!quit && sock < 0 && connect_server() < 0) {
      fflush(stdout);
    } else if (!quit && run_command(argc, argv, lens) < 0) {
      printf("Error: Server closed the connection\n");
      fflush(stdout);
      close(sock);
      sock = -1;
    }
    for (int k = 0; k < argc; k++) free(argv[k]);
    if (quit) break;
  }
  fflush(stdout);
  return 0;
}

/* sh: a small POSIX-ish shell for Tabernetes' WASI busybox, in the style of busybox ash. Commands outside the
 * builtins run as child processes (tabernetes_spawn); pipelines connect them with pipes. Supported: ; && || |
 * ! { } if/elif/else, for/while/until, case/esac, name() { } functions (local, return), break/continue,
 * redirections (< > >> 2> 2>&1 >&2 <<EOF <<-EOF) also on compound commands, quoting (' " \), $VAR ${VAR}
 * ${V:-w} ${V:=w} ${V:+w} ${V:?w} ${#V} ${V#p} ${V%p}, $? $$ $# $0-$9 $@ $*, $(...), $((...)), globbing,
 * NAME=value, export, unset, cd, exit, read (IFS, -r), set -e/-x/--, shift, trap, ( subshells ), `...`,
 * background jobs (& $! jobs wait kill). Interactive input (TERM set)
 * has a prompt, echo, line editing (backspace, left/right, Ctrl-A/E/U/C/D) and history (up/down).
 * Files: sh-parse.h (tokens, here-docs) sh-grammar.h sh-arith.h sh-expand.h sh-builtins.h sh-jobs.h sh-exec.h
 * sh-subshell.h. */
#include "tabernetes.h"
#include "sh-parse.h"
#include "sh-grammar.h"
#include "sh-arith.h"
#include "sh-expand.h"
#include "sh-builtins.h"
#include "sh-jobs.h"
#include "sh-exec.h"
#include "sh-subshell.h"

static char *history[100]; static int nhist;

/* Redraws prompt + line with the cursor at pos. */
static void redraw(const char *prompt, struct buf *line, size_t pos) {
  ws(1, "\r\033[K");
  ws(1, prompt);
  wr(1, line->s, line->n);
  for (size_t i = pos; i < line->n; i++) ws(1, "\b");
}

/* Reads one line from fd 0: 1 a line, 0 end of input, 2 interrupted (Ctrl-C). With a terminal (TERM set)
 * echoes and edits like busybox's line editor over a raw tty; up/down walk the history. */
static int read_line(struct buf *line, int tty, const char *prompt) {
  char c;
  size_t pos = 0;
  int h = nhist;
  for (;;) {
    if (read(0, &c, 1) != 1) return line->n ? 1 : 0;
    if (!tty) { if (c == '\n') return 1; bput(line, &c, 1); continue; }
    if (c == '\r' || c == '\n') { ws(1, "\r\n"); return 1; }
    if (c == 3) { ws(1, "^C\r\n"); line->n = 0; line->s[0] = 0; return 2; }
    if (c == 4) { if (!line->n) return 0; continue; }
    if (c == 1) { pos = 0; redraw(prompt, line, pos); continue; }
    if (c == 5) { pos = line->n; redraw(prompt, line, pos); continue; }
    if (c == 21) { memmove(line->s, line->s + pos, line->n - pos + 1); line->n -= pos; pos = 0; redraw(prompt, line, pos); continue; }
    if (c == 0x7f || c == 8) {
      if (pos) { memmove(line->s + pos - 1, line->s + pos, line->n - pos + 1); line->n--; pos--; redraw(prompt, line, pos); }
      continue;
    }
    if (c == 0x1b) {
      char seq[2];
      if (read(0, seq, 1) != 1 || read(0, seq + 1, 1) != 1) continue;
      if (seq[0] != '[' && seq[0] != 'O') continue;
      if (seq[1] == 'A' || seq[1] == 'B') {
        int to = h + (seq[1] == 'A' ? -1 : 1);
        if (to < 0 || to > nhist) continue;
        h = to;
        line->n = 0;
        line->s[0] = 0;
        if (h < nhist) bput(line, history[h], strlen(history[h]));
        pos = line->n;
        redraw(prompt, line, pos);
      } else if (seq[1] == 'D' && pos) { pos--; ws(1, "\b"); }
      else if (seq[1] == 'C' && pos < line->n) { wr(1, line->s + pos, 1); pos++; }
      else if (seq[1] == 'H') { pos = 0; redraw(prompt, line, pos); }
      else if (seq[1] == 'F') { pos = line->n; redraw(prompt, line, pos); }
      else if (seq[1] == '3') { char t; read(0, &t, 1); if (pos < line->n) { memmove(line->s + pos, line->s + pos + 1, line->n - pos); line->n--; redraw(prompt, line, pos); } }
      continue;
    }
    if ((unsigned char)c >= 32 || c == '\t') {
      bput(line, &c, 1);
      if (pos + 1 < line->n) { memmove(line->s + pos + 1, line->s + pos, line->n - pos - 1); line->s[pos] = c; pos++; redraw(prompt, line, pos); }
      else { pos++; wr(1, &c, 1); }
    }
  }
}

static void add_history(const char *s) {
  if (!*s || (nhist && !strcmp(history[nhist - 1], s))) return;
  if (nhist == 100) { free(history[0]); memmove(history, history + 1, sizeof(char *) * 99); nhist--; }
  history[nhist++] = strdup(s);
}

/* Runs the EXIT trap once; returns the shell's exit status. */
static int sh_finish(struct io io) {
  int rc = g_exit >= 0 ? g_exit : g_status;
  if (traps[0]) {
    char *t = traps[0];
    traps[0] = 0;
    g_exit = -1;
    g_status = rc;
    run_string(t, io);
    if (g_exit >= 0) rc = g_exit;
  }
  return rc;
}

static int sh_main(int argc, char **argv) {
  struct io io = {0, 1, 2};
  int ai = 1;
  for (; ai < argc && argv[ai][0] == '-' && argv[ai][1] && strcmp(argv[ai], "-c"); ai++)
    for (const char *o = argv[ai] + 1; *o; o++) { if (*o == 'e') opt_e = 1; else if (*o == 'x') opt_x = 1; }
  if (ai + 1 < argc && !strcmp(argv[ai], "-c")) {
    if (argc > ai + 2) { g_args = argv + ai + 2; g_nargs = argc - ai - 2; } else { g_args = argv; g_nargs = 1; }
    run_string(argv[ai + 1], io);
    return sh_finish(io);
  }
  g_args = argv;
  g_nargs = 1;
  if (ai < argc && argv[ai][0] != '-') {
    int fd = open(argv[ai], O_RDONLY);
    if (fd < 0) { dprintf(2, "sh: can't open '%s': No such file or directory\n", argv[ai]); return 2; }
    char *src; size_t n;
    readall(fd, &src, &n);
    src = realloc(src, n + 1);
    src[n] = 0;
    g_args = argv + ai;
    g_nargs = argc - ai;
    run_string(src, io);
    return sh_finish(io);
  }
  g_interactive = 1;
  int tty = getenv("TERM") != 0;
  struct buf pending = {0};
  bput(&pending, "", 0);
  while (g_exit < 0) {
    char prompt[600] = "> ";
    if (!pending.n) {
      char cwd[512];
      const char *home = getenv("HOME");
      if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
      snprintf(prompt, sizeof prompt, "%s # ", home && !strcmp(cwd, home) ? "~" : cwd);
    }
    if (tty) ws(1, prompt);
    struct buf line = {0};
    bput(&line, "", 0);
    int r = read_line(&line, tty, prompt);
    if (r == 0) { if (tty) ws(1, "\r\n"); break; }
    if (r == 2) { pending.n = 0; pending.s[0] = 0; free(line.s); continue; }
    if (tty) add_history(line.s);
    bput(&pending, line.s, line.n);
    bput(&pending, "\n", 1);
    free(line.s);
    if (run_string(pending.s, io) == -1) continue;
    pending.n = 0;
    pending.s[0] = 0;
  }
  return sh_finish(io);
}

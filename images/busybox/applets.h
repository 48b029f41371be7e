#define _GNU_SOURCE
/* busybox applets (Tabernetes' WASI build). Each takes (argc, argv, io) and returns the exit status; io
 * holds the fds to use for stdin/stdout/stderr so the shell can run them in-process with redirections. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct io { int in, out, err; };
extern char **environ;

static int readall(int fd, char **buf, size_t *len) {
  size_t cap = 4096, n = 0;
  char *b = malloc(cap);
  for (;;) {
    if (n == cap) b = realloc(b, cap *= 2);
    ssize_t r = read(fd, b + n, cap - n);
    if (r < 0) { free(b); return -1; }
    if (r == 0) break;
    n += r;
  }
  *buf = b;
  *len = n;
  return 0;
}

static void wr(int fd, const char *s, size_t n) {
  while (n) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) return;
    s += w;
    n -= w;
  }
}
static void ws(int fd, const char *s) { wr(fd, s, strlen(s)); }

static int app_echo(int argc, char **argv, struct io io) {
  int i = 1, nl = 1;
  if (i < argc && !strcmp(argv[i], "-n")) { nl = 0; i++; }
  for (; i < argc; i++) {
    ws(io.out, argv[i]);
    if (i + 1 < argc) ws(io.out, " ");
  }
  if (nl) ws(io.out, "\n");
  return 0;
}

/* Opens argv[i] ("-" or none: io.in); returns fd or -1 after printing busybox's error. */
static int open_in(const char *app, const char *name, struct io io) {
  if (!name || !strcmp(name, "-")) return io.in;
  int fd = open(name, O_RDONLY);
  if (fd < 0) dprintf(io.err, "%s: can't open '%s': %s\n", app, name, strerror(errno));
  return fd;
}

static int app_cat(int argc, char **argv, struct io io) {
  int rc = 0;
  for (int i = argc > 1 ? 1 : 0; i < argc; i++) {
    int fd = open_in("cat", i ? argv[i] : 0, io);
    if (fd < 0) { rc = 1; continue; }
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) wr(io.out, buf, n);
    if (fd != io.in) close(fd);
  }
  return rc;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

static int app_ls(int argc, char **argv, struct io io) {
  int all = 0, lng = 0, one = 0, rc = 0, nargs = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && argv[i][1]) {
      for (char *f = argv[i] + 1; *f; f++) all |= *f == 'a', lng |= *f == 'l', one |= *f == '1';
    } else nargs++;
  }
  (void)one;
  for (int i = 1, seen = 0; i < argc || (!nargs && !seen); i++) {
    const char *path = ".";
    if (nargs) {
      if (i >= argc) break;
      if (argv[i][0] == '-' && argv[i][1]) continue;
      path = argv[i];
    }
    seen = 1;
    struct stat st;
    if (stat(path, &st) != 0) {
      dprintf(io.err, "ls: %s: No such file or directory\n", path);
      rc = 1;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      dprintf(io.out, "%s\n", path);
      continue;
    }
    if (nargs > 1) dprintf(io.out, "%s:\n", path);
    DIR *d = opendir(path);
    if (!d) { rc = 1; continue; }
    char *names[1024];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 1024)
      if (all || e->d_name[0] != '.') names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmpstr);
    for (int k = 0; k < n; k++) {
      if (lng) {
        char full[1024];
        snprintf(full, sizeof full, "%s/%s", path, names[k]);
        struct stat s2;
        lstat(full, &s2);
        char when[32];
        time_t t = s2.st_mtime;
        strftime(when, sizeof when, "%b %e %H:%M", gmtime(&t));
        const char *mode = S_ISDIR(s2.st_mode) ? "drwxr-xr-x" : S_ISLNK(s2.st_mode) ? "lrwxrwxrwx" : "-rw-r--r--";
        dprintf(io.out, "%s    1 root     root     %8lld %s %s\n", mode, (long long)s2.st_size, when, names[k]);
      } else dprintf(io.out, "%s\n", names[k]);
      free(names[k]);
    }
  }
  return rc;
}

static int app_printenv(int argc, char **argv, struct io io) {
  if (argc > 1) {
    int rc = 0;
    for (int i = 1; i < argc; i++) {
      char *v = getenv(argv[i]);
      if (v) dprintf(io.out, "%s\n", v); else rc = 1;
    }
    return rc;
  }
  for (char **e = environ; e && *e; e++) dprintf(io.out, "%s\n", *e);
  return 0;
}

static int app_sleep(int argc, char **argv, struct io io) {
  if (argc < 2) { ws(io.err, "BusyBox v1.36.1 (Tabernetes WASI build) multi-call binary.\n\nUsage: sleep [N]...\n"); return 1; }
  double s = 0;
  for (int i = 1; i < argc; i++) {
    char *end;
    double v = strtod(argv[i], &end);
    if (*end == 'm') v *= 60; else if (*end == 'h') v *= 3600; else if (*end == 'd') v *= 86400;
    s += v;
  }
  struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
  nanosleep(&ts, 0);
  return 0;
}

static int app_pwd(int argc, char **argv, struct io io) {
  (void)argc; (void)argv;
  char buf[1024];
  dprintf(io.out, "%s\n", getcwd(buf, sizeof buf) ? buf : "/");
  return 0;
}

static int app_mkdir(int argc, char **argv, struct io io) {
  int parents = 0, rc = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-p")) { parents = 1; continue; }
    if (parents) {
      char p[1024];
      snprintf(p, sizeof p, "%s", argv[i]);
      for (char *s = p + 1; *s; s++) if (*s == '/') { *s = 0; mkdir(p, 0755); *s = '/'; }
      if (mkdir(p, 0755) != 0 && errno != EEXIST) rc = 1;
    } else if (mkdir(argv[i], 0755) != 0) {
      dprintf(io.err, "mkdir: can't create directory '%s': %s\n", argv[i], strerror(errno));
      rc = 1;
    }
  }
  return rc;
}

static int rm_path(const char *p, int rec) {
  struct stat st;
  if (lstat(p, &st) != 0) return -1;
  if (S_ISDIR(st.st_mode)) {
    if (!rec) { errno = EISDIR; return -1; }
    DIR *d = opendir(p);
    struct dirent *e;
    while (d && (e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char full[1024];
      snprintf(full, sizeof full, "%s/%s", p, e->d_name);
      rm_path(full, 1);
    }
    if (d) closedir(d);
    return rmdir(p);
  }
  return unlink(p);
}

static int app_rm(int argc, char **argv, struct io io) {
  int rec = 0, force = 0, rc = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-') { for (char *f = argv[i] + 1; *f; f++) rec |= *f == 'r' || *f == 'R', force |= *f == 'f'; continue; }
    if (rm_path(argv[i], rec) != 0 && !(force && errno == ENOENT)) {
      dprintf(io.err, "rm: can't remove '%s': %s\n", argv[i], errno == EISDIR ? "Is a directory" : strerror(errno));
      rc = 1;
    }
  }
  return rc;
}

static int app_touch(int argc, char **argv, struct io io) {
  int rc = 0;
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_WRONLY | O_CREAT, 0644);
    if (fd < 0) { dprintf(io.err, "touch: %s: %s\n", argv[i], strerror(errno)); rc = 1; continue; }
    close(fd);
  }
  return rc;
}

static int app_wc(int argc, char **argv, struct io io) {
  int fl = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) for (char *f = argv[i] + 1; *f; f++) fl |= *f == 'l' ? 1 : *f == 'w' ? 2 : *f == 'c' ? 4 : 0;
  if (!fl) fl = 7;
  int rc = 0;
  for (int k = i; k < argc || k == i; k++) {
    int fd = open_in("wc", k < argc ? argv[k] : 0, io);
    if (fd < 0) { rc = 1; continue; }
    char *b; size_t n;
    readall(fd, &b, &n);
    long lines = 0, words = 0, inw = 0;
    for (size_t j = 0; j < n; j++) {
      if (b[j] == '\n') lines++;
      if (isspace((unsigned char)b[j])) inw = 0; else if (!inw) { inw = 1; words++; }
    }
    free(b);
    char out[128] = "";
    int single = fl == 1 || fl == 2 || fl == 4;
    if (fl & 1) sprintf(out + strlen(out), single ? "%ld" : "%7ld ", lines);
    if (fl & 2) sprintf(out + strlen(out), single ? "%ld" : "%7ld ", words);
    if (fl & 4) sprintf(out + strlen(out), single ? "%ld" : "%7ld ", (long)n);
    if (!single) out[strlen(out) - 1] = 0;
    dprintf(io.out, "%s%s%s\n", out, k < argc ? " " : "", k < argc ? argv[k] : "");
    if (fd != io.in) close(fd);
  }
  return rc;
}

static int head_tail(int argc, char **argv, struct io io, int tail) {
  long count = 10;
  int i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
    if (!strcmp(argv[i], "-n") && i + 1 < argc) count = atol(argv[++i]);
    else if (isdigit((unsigned char)argv[i][1])) count = atol(argv[i] + 1);
  }
  int fd = open_in(tail ? "tail" : "head", i < argc ? argv[i] : 0, io);
  if (fd < 0) return 1;
  if (!tail) {
    char c;
    long lines = 0;
    while (lines < count && read(fd, &c, 1) == 1) {
      wr(io.out, &c, 1);
      if (c == '\n') lines++;
    }
    return 0;
  }
  char *b; size_t n;
  readall(fd, &b, &n);
  size_t start = n;
  long lines = 0;
  if (n && b[n - 1] == '\n') start--;
  while (start > 0) {
    if (b[start - 1] == '\n' && ++lines == count) break;
    start--;
  }
  wr(io.out, b + start, n - start);
  free(b);
  return 0;
}

static int app_grep(int argc, char **argv, struct io io) {
  int inv = 0, icase = 0, count = 0, quiet = 0, num = 0, i = 1;
  for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++)
    for (char *f = argv[i] + 1; *f; f++) inv |= *f == 'v', icase |= *f == 'i', count |= *f == 'c', quiet |= *f == 'q', num |= *f == 'n';
  if (i >= argc) { ws(io.err, "BusyBox v1.36.1 (Tabernetes WASI build) multi-call binary.\n\nUsage: grep [-vicqn] PATTERN [FILE]...\n"); return 2; }
  const char *pat = argv[i++];
  int found = 0, files = argc - i;
  for (int k = i; k < argc || k == i; k++) {
    int fd = open_in("grep", k < argc ? argv[k] : 0, io);
    if (fd < 0) continue;
    char *b; size_t n;
    readall(fd, &b, &n);
    long c = 0, ln = 0;
    for (size_t s = 0; s < n;) {
      size_t e = s;
      while (e < n && b[e] != '\n') e++;
      ln++;
      char save = b[e < n ? e : n - 1];
      if (e < n) b[e] = 0;
      char line[4096];
      snprintf(line, sizeof line, "%.*s", (int)(e - s), b + s);
      int hit = icase ? strcasestr(line, pat) != 0 : strstr(line, pat) != 0;
      if (e < n) b[e] = save;
      if (hit != inv) {
        c++;
        found = 1;
        if (!count && !quiet) {
          if (files > 1) dprintf(io.out, "%s:", argv[k]);
          if (num) dprintf(io.out, "%ld:", ln);
          wr(io.out, b + s, e - s);
          ws(io.out, "\n");
        }
      }
      s = e + 1;
    }
    if (count) dprintf(io.out, "%ld\n", c);
    free(b);
  }
  return found ? 0 : 1;
}

static int app_hostname(int argc, char **argv, struct io io) {
  (void)argc; (void)argv;
  char *h = getenv("HOSTNAME");
  dprintf(io.out, "%s\n", h ? h : "busybox");
  return 0;
}

static int app_date(int argc, char **argv, struct io io) {
  const char *fmt = "%a %b %e %H:%M:%S UTC %Y";
  for (int i = 1; i < argc; i++) if (argv[i][0] == '+') fmt = argv[i] + 1;
  time_t t = time(0);
  char buf[256];
  strftime(buf, sizeof buf, fmt, gmtime(&t));
  dprintf(io.out, "%s\n", buf);
  return 0;
}

static int app_uname(int argc, char **argv, struct io io) {
  int all = argc > 1 && !strcmp(argv[1], "-a");
  if (all) dprintf(io.out, "Linux %s 6.1.0-tabernetes #1 SMP wasm32 GNU/Linux\n", getenv("HOSTNAME") ? getenv("HOSTNAME") : "busybox");
  else dprintf(io.out, "Linux\n");
  return 0;
}

static int app_seq(int argc, char **argv, struct io io) {
  long first = 1, step = 1, last;
  if (argc < 2) return 1;
  if (argc == 2) last = atol(argv[1]);
  else if (argc == 3) first = atol(argv[1]), last = atol(argv[2]);
  else first = atol(argv[1]), step = atol(argv[2]), last = atol(argv[3]);
  for (long v = first; step > 0 ? v <= last : v >= last; v += step) dprintf(io.out, "%ld\n", v);
  return 0;
}

static int app_yes(int argc, char **argv, struct io io) {
  const char *s = argc > 1 ? argv[1] : "y";
  char line[256];
  snprintf(line, sizeof line, "%s\n", s);
  size_t n = strlen(line);
  for (;;) if (write(io.out, line, n) != (ssize_t)n) return 1;
}

static int app_basename(int argc, char **argv, struct io io) {
  if (argc < 2) return 1;
  char *p = argv[1];
  size_t n = strlen(p);
  while (n > 1 && p[n - 1] == '/') p[--n] = 0;
  char *b = strrchr(p, '/');
  b = b && b[1] ? b + 1 : p;
  if (argc > 2) {
    size_t bl = strlen(b), sl = strlen(argv[2]);
    if (bl > sl && !strcmp(b + bl - sl, argv[2])) b[bl - sl] = 0;
  }
  dprintf(io.out, "%s\n", b);
  return 0;
}

static int app_dirname(int argc, char **argv, struct io io) {
  if (argc < 2) return 1;
  char *p = argv[1];
  size_t n = strlen(p);
  while (n > 1 && p[n - 1] == '/') p[--n] = 0;
  char *s = strrchr(p, '/');
  if (!s) dprintf(io.out, ".\n");
  else if (s == p) dprintf(io.out, "/\n");
  else { *s = 0; dprintf(io.out, "%s\n", p); }
  return 0;
}

static int app_id(int argc, char **argv, struct io io) {
  if (argc > 1 && !strcmp(argv[1], "-u")) dprintf(io.out, "0\n");
  else if (argc > 1 && !strcmp(argv[1], "-un")) dprintf(io.out, "root\n");
  else dprintf(io.out, "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
  return 0;
}

static int app_whoami(int argc, char **argv, struct io io) { (void)argc; (void)argv; dprintf(io.out, "root\n"); return 0; }
static int app_true(int argc, char **argv, struct io io) { (void)argc; (void)argv; (void)io; return 0; }
static int app_false(int argc, char **argv, struct io io) { (void)argc; (void)argv; (void)io; return 1; }

/* test / [: -z -n -e -f -d, = != , -eq -ne -lt -le -gt -ge, ! */
static int test_eval(int argc, char **argv) {
  if (argc == 0) return 1;
  if (!strcmp(argv[0], "!")) return !test_eval(argc - 1, argv + 1);
  if (argc == 1) return argv[0][0] != 0;
  if (argc == 2) {
    struct stat st;
    const char *op = argv[0], *a = argv[1];
    if (!strcmp(op, "-z")) return a[0] == 0;
    if (!strcmp(op, "-n")) return a[0] != 0;
    if (!strcmp(op, "-e")) return stat(a, &st) == 0;
    if (!strcmp(op, "-f")) return stat(a, &st) == 0 && S_ISREG(st.st_mode);
    if (!strcmp(op, "-d")) return stat(a, &st) == 0 && S_ISDIR(st.st_mode);
    if (!strcmp(op, "-s")) return stat(a, &st) == 0 && st.st_size > 0;
    return 0;
  }
  const char *a = argv[0], *op = argv[1], *b = argv[2];
  long x = atol(a), y = atol(b);
  if (!strcmp(op, "=") || !strcmp(op, "==")) return !strcmp(a, b);
  if (!strcmp(op, "!=")) return strcmp(a, b) != 0;
  if (!strcmp(op, "-eq")) return x == y;
  if (!strcmp(op, "-ne")) return x != y;
  if (!strcmp(op, "-lt")) return x < y;
  if (!strcmp(op, "-le")) return x <= y;
  if (!strcmp(op, "-gt")) return x > y;
  if (!strcmp(op, "-ge")) return x >= y;
  return 0;
}

static int app_test(int argc, char **argv, struct io io) {
  (void)io;
  if (!strcmp(argv[0], "[")) {
    if (strcmp(argv[argc - 1], "]")) { ws(io.err, "[: missing ]\n"); return 2; }
    argc--;
  }
  return !test_eval(argc - 1, argv + 1);
}

static int app_env(int argc, char **argv, struct io io) { return app_printenv(argc > 1 ? 1 : argc, argv, io); }
static int app_head(int argc, char **argv, struct io io) { return head_tail(argc, argv, io, 0); }
static int app_tail(int argc, char **argv, struct io io) { return head_tail(argc, argv, io, 1); }

#include "net-applets.h"
#include "net-dns-applets.h"
#include "tar-applet.h"

struct applet { const char *name; int (*fn)(int, char **, struct io); };
static const struct applet applets[] = {
  {"[", app_test}, {"basename", app_basename}, {"cat", app_cat}, {"date", app_date}, {"dirname", app_dirname},
  {"echo", app_echo}, {"env", app_env}, {"false", app_false}, {"grep", app_grep}, {"head", app_head},
  {"hostname", app_hostname}, {"id", app_id}, {"ls", app_ls}, {"mkdir", app_mkdir}, {"nc", app_nc}, {"nslookup", app_nslookup}, {"printenv", app_printenv},
  {"pwd", app_pwd}, {"rm", app_rm}, {"seq", app_seq}, {"sleep", app_sleep}, {"tail", app_tail}, {"tar", app_tar}, {"test", app_test},
  {"touch", app_touch}, {"true", app_true}, {"uname", app_uname}, {"wc", app_wc}, {"wget", app_wget}, {"whoami", app_whoami},
  {"yes", app_yes}, {0, 0},
};

static const struct applet *find_applet(const char *name) {
  for (const struct applet *a = applets; a->name; a++) if (!strcmp(a->name, name)) return a;
  return 0;
}

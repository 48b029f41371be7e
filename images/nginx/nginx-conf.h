// nginx-conf.h: parses nginx configuration files into a directive tree (nginx's syntax: words, "quoted" and
// 'quoted' strings, `;`, `{ }`, # comments; a backslash escapes \" \' \\ \n \t \r and is kept before anything
// else, so `location ~ \.png$` keeps its regex). `include` is expanded while parsing (a `*` glob matches the
// files of one directory, sorted). Errors are reported as nginx does: `[emerg] unexpected "}" in FILE:LINE`.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ncf {
  char *name;
  char **args;
  int nargs;
  int block;
  struct ncf *kids;
  int nkids, cap;
};

static char ncf_error[512];
/* Every file read by ncf_parse_file since the last ncf_reset_files() (for reload on change), with the
 * (inode, size, mtime) stat() gave just before it was read: a file replaced after that point (a ConfigMap's
 * ..data swap while nginx starts) then differs from what a later stat() sees, so the change is not missed. */
static char *ncf_files[64];
static long long ncf_read_stamps[64 * 3];
static int ncf_nfiles;

static struct ncf *ncf_add(struct ncf *parent) {
  if (parent->nkids == parent->cap) {
    parent->cap = parent->cap ? parent->cap * 2 : 8;
    parent->kids = (struct ncf *)realloc(parent->kids, sizeof(struct ncf) * (size_t)parent->cap);
  }
  struct ncf *n = &parent->kids[parent->nkids++];
  memset(n, 0, sizeof *n);
  return n;
}

static char *ncf_read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, len = 0;
  char *buf = (char *)malloc(cap);
  size_t got;
  while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += got;
    if (cap - len < 2) buf = (char *)realloc(buf, cap *= 2);
  }
  fclose(f);
  buf[len] = 0;
  return buf;
}

struct ncf_lexer { const char *file; char *p; int line; };

/* Next token into *tok (malloc'd). Returns 'w' word, ';', '{', '}', 0 at EOF. */
static int ncf_token(struct ncf_lexer *lx, char **tok) {
  for (;;) {
    while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r' || *lx->p == '\n') lx->line += *lx->p++ == '\n';
    if (*lx->p == '#') {
      while (*lx->p && *lx->p != '\n') lx->p++;
      continue;
    }
    break;
  }
  char ch = *lx->p;
  if (!ch) return 0;
  if (ch == ';' || ch == '{' || ch == '}') {
    lx->p++;
    return ch;
  }
  size_t cap = 64, n = 0;
  char *w = (char *)malloc(cap);
  char quote = (ch == '"' || ch == '\'') ? ch : 0;
  if (quote) lx->p++;
  while (*lx->p) {
    char c = *lx->p;
    if (quote ? c == quote : (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '{' || c == '}')) break;
    if (c == '\\' && lx->p[1] && strchr("\"'\\ntr", lx->p[1])) { /* nginx keeps other backslashes (regexes) */
      c = *++lx->p;
      if (c == 'n') c = '\n';
      else if (c == 't') c = '\t';
      else if (c == 'r') c = '\r';
    }
    if (c == '\n') lx->line++;
    if (n + 2 > cap) w = (char *)realloc(w, cap *= 2);
    w[n++] = c;
    lx->p++;
  }
  if (quote && *lx->p == quote) lx->p++;
  w[n] = 0;
  *tok = w;
  return 'w';
}

static int ncf_parse_file(const char *path, struct ncf *into);

static int ncf_include(struct ncf_lexer *lx, const char *pattern, struct ncf *into) {
  const char *star = strchr(pattern, '*');
  if (!star) {
    if (ncf_parse_file(pattern, into)) return -1;
    return 0;
  }
  const char *slash = strrchr(pattern, '/');
  char dir[512], prefix[256], suffix[256];
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - pattern) : 1, slash ? pattern : ".");
  const char *base = slash ? slash + 1 : pattern;
  snprintf(prefix, sizeof prefix, "%.*s", (int)(star - base), base);
  snprintf(suffix, sizeof suffix, "%s", star + 1);
  DIR *d = opendir(dir);
  if (!d) return 0;
  char *names[256];
  int count = 0;
  struct dirent *e;
  while ((e = readdir(d)) && count < 256) {
    size_t l = strlen(e->d_name), pl = strlen(prefix), sl = strlen(suffix);
    if (e->d_name[0] == '.' || l < pl + sl || strncmp(e->d_name, prefix, pl) || strcmp(e->d_name + l - sl, suffix)) continue;
    names[count++] = strdup(e->d_name);
  }
  closedir(d);
  for (int i = 0; i < count; i++)
    for (int j = i + 1; j < count; j++)
      if (strcmp(names[j], names[i]) < 0) {
        char *t = names[i];
        names[i] = names[j];
        names[j] = t;
      }
  (void)lx;
  for (int i = 0; i < count; i++) {
    char full[800];
    snprintf(full, sizeof full, "%s/%s", dir, names[i]);
    if (ncf_parse_file(full, into)) return -1;
  }
  return 0;
}

/* Parses directives until `}` (depth > 0) or EOF (depth 0). */
static int ncf_parse_block(struct ncf_lexer *lx, struct ncf *into, int depth) {
  for (;;) {
    char *tok = NULL;
    int t = ncf_token(lx, &tok);
    if (t == 0) {
      if (depth) return snprintf(ncf_error, sizeof ncf_error, "unexpected end of file, expecting \"}\" in %s:%d", lx->file, lx->line), -1;
      return 0;
    }
    if (t == '}') {
      if (!depth) return snprintf(ncf_error, sizeof ncf_error, "unexpected \"}\" in %s:%d", lx->file, lx->line), -1;
      return 0;
    }
    if (t != 'w') return snprintf(ncf_error, sizeof ncf_error, "unexpected \"%c\" in %s:%d", t, lx->file, lx->line), -1;
    char *name = tok, *args[64];
    int nargs = 0;
    for (;;) {
      t = ncf_token(lx, &tok);
      if (t == 'w' && nargs < 64) args[nargs++] = tok;
      else if (t == ';' || t == '{') break;
      else if (t == 0) return snprintf(ncf_error, sizeof ncf_error, "unexpected end of file, expecting \";\" or \"}\" in %s:%d", lx->file, lx->line), -1;
      else if (t == '}') return snprintf(ncf_error, sizeof ncf_error, "unexpected \"}\" in %s:%d", lx->file, lx->line), -1;
    }
    if (t == ';' && !strcmp(name, "include")) {
      if (nargs != 1) return snprintf(ncf_error, sizeof ncf_error, "invalid number of arguments in \"include\" directive in %s:%d", lx->file, lx->line), -1;
      if (ncf_include(lx, args[0], into)) return -1;
      continue;
    }
    struct ncf *n = ncf_add(into);
    n->name = name;
    n->nargs = nargs;
    n->args = (char **)malloc(sizeof(char *) * (size_t)(nargs + 1));
    memcpy(n->args, args, sizeof(char *) * (size_t)nargs);
    n->args[nargs] = NULL;
    if (t == '{') {
      n->block = 1;
      if (ncf_parse_block(lx, n, depth + 1)) return -1;
    }
  }
}

/* 0, or -1 with ncf_error set (nginx's wording, without the "[emerg]" prefix). */
static int ncf_parse_file(const char *path, struct ncf *into) {
  if (ncf_nfiles < 64) {
    struct stat st;
    long long *o = &ncf_read_stamps[ncf_nfiles * 3];
    memset(o, 0, 3 * sizeof *o);
    if (!stat(path, &st)) {
      o[0] = (long long)st.st_ino;
      o[1] = (long long)st.st_size;
      o[2] = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    }
    ncf_files[ncf_nfiles++] = strdup(path);
  }
  char *text = ncf_read_file(path);
  if (!text) return snprintf(ncf_error, sizeof ncf_error, "open() \"%s\" failed (2: No such file or directory)", path), -1;
  struct ncf_lexer lx = {path, text, 1};
  return ncf_parse_block(&lx, into, 0);
}

/* The first directive `name` among block's children, or NULL. */
static struct ncf *ncf_find(struct ncf *block, const char *name) {
  for (int i = 0; block && i < block->nkids; i++)
    if (!strcmp(block->kids[i].name, name)) return &block->kids[i];
  return NULL;
}

static void ncf_free(struct ncf *n) {
  for (int i = 0; i < n->nkids; i++) ncf_free(&n->kids[i]);
  for (int i = 0; i < n->nargs; i++) free(n->args[i]);
  free(n->args);
  free(n->kids);
  free(n->name);
  memset(n, 0, sizeof *n);
}

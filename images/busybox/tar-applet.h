/* tar: ustar archives as kubectl cp needs them (`tar cf - PATH`, `tar -xmf - -C DIR`), BusyBox-style.
 * Flags (bundled, with or without '-'): c create, x extract, t list, v verbose, m (mtimes are never set here),
 * f FILE ('-' is stdin/stdout; the only archive supported is '-' or a regular file), -C DIR; --no-same-owner and
 * --no-same-permissions are accepted. Create: leading '/' is stripped from member names (noted once on stderr),
 * folders are stored then walked in name order; modes are recorded (WASI has no chmod, so extract cannot restore
 * them). Extract/list read ustar, GNU long names ('L') and PAX 'path=' records; symlinks become symlinks. */

static void tar_octal(char *field, size_t len, unsigned long long v) {
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%0*llo", (int)len - 1, v);
  memcpy(field, tmp, len - 1);
  field[len - 1] = 0;
}

static unsigned long long tar_parse_octal(const char *f, size_t len) {
  unsigned long long v = 0;
  size_t i = 0;
  while (i < len && (f[i] == ' ' || f[i] == 0)) i++;
  for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) v = v * 8 + (unsigned long long)(f[i] - '0');
  return v;
}

/* Writes one header; returns -1 (after printing) when the name does not fit ustar's prefix/name split. */
static int tar_header(int out, const char *name, char type, unsigned mode, unsigned long long size, long long mtime, const char *link, struct io io) {
  char h[512];
  memset(h, 0, sizeof h);
  size_t n = strlen(name);
  if (n <= 100) memcpy(h, name, n);
  else {
    const char *split = 0;
    for (const char *s = name + n - 1; s > name; s--) if (*s == '/' && (size_t)(s - name) <= 155 && n - (size_t)(s - name) - 1 <= 100) { split = s; break; }
    if (!split) { dprintf(io.err, "tar: %s: file name is too long\n", name); return -1; }
    memcpy(h + 345, name, (size_t)(split - name));
    memcpy(h, split + 1, n - (size_t)(split - name) - 1);
  }
  tar_octal(h + 100, 8, mode & 07777);
  tar_octal(h + 108, 8, 0);
  tar_octal(h + 116, 8, 0);
  tar_octal(h + 124, 12, size);
  tar_octal(h + 136, 12, (unsigned long long)(mtime < 0 ? 0 : mtime));
  h[156] = type;
  if (link) snprintf(h + 157, 100, "%s", link);
  memcpy(h + 257, "ustar\0" "00", 8);
  memcpy(h + 265, "root", 4);
  memcpy(h + 297, "root", 4);
  memset(h + 148, ' ', 8);
  unsigned sum = 0;
  for (int i = 0; i < 512; i++) sum += (unsigned char)h[i];
  snprintf(h + 148, 8, "%06o", sum);
  h[155] = ' ';
  wr(out, h, 512);
  return 0;
}

static int tar_add(int out, const char *base, const char *member, int verbose, struct io io) {
  char path[4096];
  if (base && member[0] != '/') snprintf(path, sizeof path, "%s/%s", base, member);
  else snprintf(path, sizeof path, "%s", member);
  const char *name = member;
  while (*name == '/') name++;
  struct stat st;
  if (lstat(path, &st) != 0) { dprintf(io.err, "tar: %s: %s\n", member, strerror(errno)); return 1; }
  if (!*name) name = ".";
  long long mtime = (long long)st.st_mtim.tv_sec;
  if (verbose) dprintf(io.err, "%s%s\n", name, S_ISDIR(st.st_mode) ? "/" : "");
  if (S_ISDIR(st.st_mode)) {
    char dname[4096];
    snprintf(dname, sizeof dname, "%s/", name);
    if (tar_header(out, dname, '5', (st.st_mode & 07777) ? st.st_mode : 0755, 0, mtime, 0, io)) return 1;
    DIR *d = opendir(path);
    if (!d) { dprintf(io.err, "tar: %s: %s\n", member, strerror(errno)); return 1; }
    char **names = 0;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      names = realloc(names, (count + 1) * sizeof *names);
      names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, cmpstr);
    int rc = 0;
    for (size_t i = 0; i < count; i++) {
      char child[4096];
      snprintf(child, sizeof child, "%s%s%s", member, member[strlen(member) - 1] == '/' ? "" : "/", names[i]);
      rc |= tar_add(out, base, child, verbose, io);
      free(names[i]);
    }
    free(names);
    return rc;
  }
  if (S_ISLNK(st.st_mode)) {
    char target[1024];
    ssize_t len = readlink(path, target, sizeof target - 1);
    target[len < 0 ? 0 : len] = 0;
    return tar_header(out, name, '2', (st.st_mode & 07777) ? st.st_mode : 0777, 0, mtime, target, io) ? 1 : 0;
  }
  int fd = open(path, O_RDONLY);
  if (fd < 0) { dprintf(io.err, "tar: %s: %s\n", member, strerror(errno)); return 1; }
  char *data;
  size_t len;
  if (readall(fd, &data, &len) != 0) { close(fd); dprintf(io.err, "tar: %s: %s\n", member, strerror(errno)); return 1; }
  close(fd);
  int rc = tar_header(out, name, '0', (st.st_mode & 07777) ? st.st_mode : 0644, len, mtime, 0, io);
  if (!rc) {
    wr(out, data, len);
    static const char zeros[512];
    if (len % 512) wr(out, zeros, 512 - len % 512);
  }
  free(data);
  return rc ? 1 : 0;
}

static void tar_mkdirs(char *p) {
  for (char *s = p + 1; *s; s++) if (*s == '/') { *s = 0; mkdir(p, 0755); *s = '/'; }
}

/* Extracts (or lists, when list) the archive in buf; returns the exit status. */
static int tar_read(const char *buf, size_t len, const char *base, int list, int verbose, struct io io) {
  char longname[4096] = "";
  int rc = 0;
  for (size_t off = 0; off + 512 <= len;) {
    const char *h = buf + off;
    int empty = 1;
    for (int i = 0; i < 512 && empty; i++) empty = h[i] == 0;
    if (empty) break;
    unsigned sum = 0;
    for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : (unsigned char)h[i];
    if (sum != tar_parse_octal(h + 148, 8)) { ws(io.err, "tar: invalid tar header checksum\n"); return 1; }
    unsigned long long size = tar_parse_octal(h + 124, 12);
    const char *data = h + 512;
    off += 512 + (size + 511) / 512 * 512;
    if (data + size > buf + len) { ws(io.err, "tar: short read\n"); return 1; }
    char type = h[156];
    if (type == 'L') { snprintf(longname, sizeof longname, "%.*s", (int)size, data); continue; }
    if (type == 'x' || type == 'g') {
      for (size_t i = 0; i < size;) {
        size_t rec = strtoul(data + i, 0, 10);
        const char *kv = memchr(data + i, ' ', size - i);
        if (!rec || !kv) break;
        if (type == 'x' && !strncmp(kv + 1, "path=", 5)) snprintf(longname, sizeof longname, "%.*s", (int)(data + i + rec - 1 - (kv + 6)), kv + 6);
        i += rec;
      }
      continue;
    }
    char name[4096];
    if (longname[0]) snprintf(name, sizeof name, "%s", longname);
    else if (h[345]) snprintf(name, sizeof name, "%.155s/%.100s", h + 345, h);
    else snprintf(name, sizeof name, "%.100s", h);
    longname[0] = 0;
    const char *rel = name;
    while (*rel == '/') rel++;
    if (list || verbose) dprintf(list ? io.out : io.err, "%s\n", rel);
    if (list || !*rel) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", base ? base : "", base ? "/" : "", rel);
    size_t pl = strlen(path);
    while (pl > 1 && path[pl - 1] == '/') path[--pl] = 0;
    tar_mkdirs(path);
    if (type == '5') {
      if (mkdir(path, 0755) != 0 && errno != EEXIST) { dprintf(io.err, "tar: can't create directory '%s': %s\n", rel, strerror(errno)); rc = 1; }
    } else if (type == '2') {
      char target[101];
      snprintf(target, sizeof target, "%.100s", h + 157);
      unlink(path);
      if (symlink(target, path) != 0) { dprintf(io.err, "tar: can't create symlink '%s' to '%s': %s\n", rel, target, strerror(errno)); rc = 1; }
    } else if (type == '0' || type == 0 || type == '7') {
      int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0) { dprintf(io.err, "tar: can't open '%s': %s\n", rel, strerror(errno)); rc = 1; continue; }
      wr(fd, data, size);
      close(fd);
    }
  }
  return rc;
}

static int app_tar(int argc, char **argv, struct io io) {
  int create = 0, extract = 0, list = 0, verbose = 0, i = 1;
  const char *file = 0, *base = 0;
  char **members = malloc(sizeof(char *) * (size_t)argc);
  int nmembers = 0;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--no-same-owner") || !strcmp(a, "--no-same-permissions")) continue;
    if (!strcmp(a, "-C") && i + 1 < argc) { base = argv[++i]; continue; }
    if ((i == 1 && a[0] != '-') || (a[0] == '-' && a[1] && a[1] != '-')) {
      for (const char *f = a + (a[0] == '-'); *f; f++) {
        if (*f == 'c') create = 1;
        else if (*f == 'x') extract = 1;
        else if (*f == 't') list = 1;
        else if (*f == 'v') verbose = 1;
        else if (*f == 'f' && i + 1 < argc) file = argv[++i];
        else if (*f == 'C' && i + 1 < argc) base = argv[++i];
        else if (*f != 'm' && *f != 'o' && *f != 'p') { dprintf(io.err, "tar: invalid option -- '%c'\n", *f); free(members); return 1; }
      }
      continue;
    }
    members[nmembers++] = argv[i];
  }
  if (create + extract + list != 1) { ws(io.err, "tar: need exactly one of 'c', 'x' or 't'\n"); free(members); return 1; }
  int rc = 0;
  if (create) {
    if (!nmembers) { ws(io.err, "tar: empty archive\n"); free(members); return 1; }
    int out = io.out;
    if (file && strcmp(file, "-")) out = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) { dprintf(io.err, "tar: can't open '%s': %s\n", file, strerror(errno)); free(members); return 1; }
    int warned = 0;
    for (int m = 0; m < nmembers; m++) {
      if (members[m][0] == '/' && !warned) { ws(io.err, "tar: removing leading '/' from member names\n"); warned = 1; }
      rc |= tar_add(out, base, members[m], verbose, io);
    }
    static const char end[1024];
    wr(out, end, sizeof end);
    if (out != io.out) close(out);
  } else {
    int in = io.in;
    if (file && strcmp(file, "-")) in = open(file, O_RDONLY);
    if (in < 0) { dprintf(io.err, "tar: can't open '%s': %s\n", file, strerror(errno)); free(members); return 1; }
    char *buf;
    size_t len;
    if (readall(in, &buf, &len) != 0) { ws(io.err, "tar: read error\n"); free(members); return 1; }
    if (in != io.in) close(in);
    rc = tar_read(buf, len, base, list, verbose, io);
    free(buf);
  }
  free(members);
  return rc;
}

// Test program for the WASI host: each argv[1] selects a scenario; results go to stdout as "key=value" lines.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int files(void) {
  FILE *f = fopen("/tmp/a.txt", "w");
  if (!f) { printf("open-w=%s\n", strerror(errno)); return 1; }
  fputs("hello file\n", f);
  fclose(f);
  f = fopen("/tmp/a.txt", "a");
  fputs("second\n", f);
  fclose(f);
  if (rename("/tmp/a.txt", "/tmp/b.txt") != 0) { printf("rename=%s\n", strerror(errno)); return 1; }
  printf("old-exists=%d\n", access("/tmp/a.txt", F_OK) == 0);
  char buf[64] = {0};
  f = fopen("tmp/b.txt", "r");  // relative to cwd "/"
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  printf("read=%zu:%s", n, buf);
  struct stat st;
  stat("/tmp/b.txt", &st);
  printf("size=%lld dir=%d\n", (long long)st.st_size, S_ISDIR(st.st_mode));
  mkdir("/tmp/sub", 0755);
  printf("mkdir-again=%s\n", mkdir("/tmp/sub", 0755) == 0 ? "ok" : strerror(errno));
  DIR *d = opendir("/tmp");
  struct dirent *e;
  while ((e = readdir(d))) printf("entry=%s\n", e->d_name);
  closedir(d);
  printf("rmdir-nonempty=%s\n", rmdir("/tmp") == 0 ? "ok" : strerror(errno));
  unlink("/tmp/b.txt");
  printf("after-unlink=%s\n", access("/tmp/b.txt", F_OK) == 0 ? "exists" : strerror(errno));
  printf("missing=%s\n", fopen("/nope/x", "r") ? "found" : strerror(errno));
  f = fopen("/etc/motd", "r");
  if (f) { fgets(buf, sizeof buf, f); printf("motd=%s", buf); fclose(f); }
  int fd = open("/tmp/seek", O_CREAT | O_RDWR, 0644);
  write(fd, "0123456789", 10);
  lseek(fd, 4, SEEK_SET);
  read(fd, buf, 3);
  buf[3] = 0;
  printf("seek=%s end=%lld\n", buf, (long long)lseek(fd, 0, SEEK_END));
  close(fd);
  return 0;
}

static int clocks(void) {
  struct timespec a, b, r;
  clock_gettime(CLOCK_REALTIME, &r);
  clock_gettime(CLOCK_MONOTONIC, &a);
  usleep(250000);
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long ms = (b.tv_sec - a.tv_sec) * 1000LL + (b.tv_nsec - a.tv_nsec) / 1000000LL;
  printf("realtime=%lld\nslept-ms=%lld\n", (long long)r.tv_sec, ms);
  unsigned char rnd[8];
  getentropy(rnd, sizeof rnd);
  printf("random=%02x%02x%02x%02x\n", rnd[0], rnd[1], rnd[2], rnd[3]);
  return 0;
}

/* The clock's reported resolution and the first step it takes (ns). */
static int clockres(void) {
  struct timespec res, a, b;
  clock_getres(CLOCK_MONOTONIC, &res);
  clock_gettime(CLOCK_MONOTONIC, &a);
  do clock_gettime(CLOCK_MONOTONIC, &b); while (b.tv_sec == a.tv_sec && b.tv_nsec == a.tv_nsec);
  long long step = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
  printf("res-ns=%lld\nstep-ns=%lld\n", (long long)res.tv_nsec, step);
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "args";
  if (!strcmp(mode, "args")) {
    for (int i = 0; i < argc; i++) printf("arg=%s\n", argv[i]);
    printf("HOME=%s\n", getenv("HOME") ? getenv("HOME") : "(unset)");
    return 0;
  }
  if (!strcmp(mode, "files")) return files();
  if (!strcmp(mode, "clock")) return clocks();
  if (!strcmp(mode, "clockres")) return clockres();
  if (!strcmp(mode, "exit")) { fprintf(stderr, "exiting %s\n", argv[2]); exit(atoi(argv[2])); }
  if (!strcmp(mode, "trap")) { __builtin_trap(); }
  if (!strcmp(mode, "partial")) { printf("no newline"); return 0; }
  if (!strcmp(mode, "loop")) { for (int i = 0;; i++) { printf("tick %d\n", i); fflush(stdout); sleep(1); } }
  fprintf(stderr, "unknown mode %s\n", mode);
  return 2;
}

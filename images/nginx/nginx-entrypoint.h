// nginx-entrypoint.h: /docker-entrypoint.sh (a symlink to this binary). For `nginx`/`nginx-debug` it prints
// what the image's entrypoint and its /docker-entrypoint.d scripts print (stdout), then runs nginx in this
// process, as the script's `exec "$@"` does. Any other command is spawned and its exit code returned.

static int nginx_main(int argc, char **argv);

static void entry_log(const char *fmt, const char *arg) {
  if (getenv("NGINX_ENTRYPOINT_QUIET_LOGS") && *getenv("NGINX_ENTRYPOINT_QUIET_LOGS")) return;
  printf(fmt, arg);
  putchar('\n');
}

static int entrypoint(int argc, char **argv) {
  if (argc < 2) return 0;
  if (strcmp(argv[1], "nginx") && strcmp(argv[1], "nginx-debug")) {
    pid_t pid;
    int fds[3] = {0, 1, 2}, status = 0;
    int err = tabernetes_spawn(&pid, argv + 1, NULL, fds);
    if (err) {
      fprintf(stderr, "/docker-entrypoint.sh: exec: line 47: %s: not found\n", argv[1]);
      return 127;
    }
    waitpid(pid, &status, 0);
    return WEXITSTATUS(status);
  }
  const char *me = "10-listen-on-ipv6-by-default.sh";
  const char *conf = "/etc/nginx/conf.d/default.conf";
  entry_log("%s", "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration");
  entry_log("%s", "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/");
  entry_log("/docker-entrypoint.sh: Launching /docker-entrypoint.d/%s", me);
  char *text = ncf_read_file(conf);
  if (!text) {
    entry_log("%s: info: /etc/nginx/conf.d/default.conf is not a file or does not exist", me);
  } else {
    FILE *w = fopen(conf, "a");
    if (!w) entry_log("%s: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)", me);
    else {
      fclose(w);
      entry_log("%s: info: Getting the checksum of /etc/nginx/conf.d/default.conf", me);
      char *packaged = ncf_read_file("/usr/share/doc/nginx/default.conf");
      if (packaged && strcmp(packaged, text)) entry_log("%s: info: /etc/nginx/conf.d/default.conf differs from the packaged version", me);
      else entry_log("%s: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf", me);
      free(packaged);
    }
    free(text);
  }
  entry_log("%s", "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh");
  entry_log("%s", "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh");
  entry_log("%s", "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh");
  entry_log("%s", "/docker-entrypoint.sh: Configuration complete; ready for start up");
  return nginx_main(argc - 1, argv + 1);
}

// redis-server: Tabernetes' WASI build of Redis 7.4 (docker.io/library/redis). A single-threaded RESP2 server
// over poll: strings, keys and expiry, lists, hashes, sets, 16 databases, INFO, CONFIG GET/SET, inline
// commands. Nothing is persisted. Logs as the real container does on stdout; SIGTERM shuts down cleanly (0).
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include "db.h"
#include "replies.h"
#include "commands.h"
#include "collection-commands.h"
#include "server-commands.h"
#include "tabernetes.h"
#include "tabernetes_socket.h"

#define MAX_CLIENTS 128

static volatile int got_sigterm;
static void on_sigterm(int sig) { got_sigterm = sig; }

static struct client *clients[MAX_CLIENTS];
static int nclients;
static int nclients_now(void) { return nclients; }

/* Parses one command (RESP multibulk or inline) from c->in; returns argc, 0 when incomplete, -1 on a
 * protocol error (already replied; the connection closes). */
static int parse_command(struct client *c, str **argvp, size_t *used) {
  char *p = c->in, *end = c->in + c->in_len;
  char *nl = memchr(p, '\n', c->in_len);
  if (!nl) {
    if (c->in_len > 64 * 1024) return reply_error(c, "ERR Protocol error: too big inline request"), -1;
    return 0;
  }
  static str argv[1024];
  int argc = 0;
  if (*p != '*') {
    /* Inline: space-separated words, with "double" and 'single' quotes. */
    char *q = p, *lend = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
    while (q < lend && argc < 1024) {
      while (q < lend && isspace((unsigned char)*q)) q++;
      if (q >= lend) break;
      char word[4096];
      size_t w = 0;
      char quote = (*q == '"' || *q == '\'') ? *q++ : 0;
      while (q < lend && (quote ? *q != quote : !isspace((unsigned char)*q)) && w < sizeof word) word[w++] = *q++;
      if (quote && q < lend) q++;
      argv[argc++] = str_dup(word, w);
    }
    *used = (size_t)(nl + 1 - c->in);
    *argvp = argv;
    return argc ? argc : (*used = (size_t)(nl + 1 - c->in), -2);
  }
  long n = strtol(p + 1, NULL, 10);
  if (n > 1024 * 1024) return reply_error(c, "ERR Protocol error: invalid multibulk length"), -1;
  p = nl + 1;
  for (long i = 0; i < n; i++) {
    nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) goto incomplete;
    if (*p != '$') {
      reply_fmt(c, "-ERR Protocol error: expected '$', got '%c'\r\n", *p);
      goto bad;
    }
    long len = strtol(p + 1, NULL, 10);
    if (len < 0 || len > 512L * 1024 * 1024) {
      reply_error(c, "ERR Protocol error: invalid bulk length");
      goto bad;
    }
    p = nl + 1;
    if (end - p < len + 2) goto incomplete;
    if (argc < 1024) argv[argc++] = str_dup(p, (size_t)len);
    p += len + 2;
  }
  *used = (size_t)(p - c->in);
  *argvp = argv;
  return argc ? argc : -2;
incomplete:
  for (int i = 0; i < argc; i++) free(argv[i].p);
  return 0;
bad:
  for (int i = 0; i < argc; i++) free(argv[i].p);
  return -1;
}

static void execute(struct client *c, int argc, str *argv) {
  const struct command *cmd = NULL;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcasecmp(commands[i].name, argv[0].p)) cmd = &commands[i];
  if (!cmd) {
    char args[160] = "", msg[512];
    size_t n = 0;
    for (int i = 1; i < argc && n < 128; i++)
      n += (size_t)snprintf(args + n, sizeof args - n, "'%.*s' ", (int)(argv[i].n < 128 - n ? argv[i].n : 128 - n), argv[i].p);
    snprintf(msg, sizeof msg, "ERR unknown command '%.128s', with args beginning with: %s", argv[0].p, args);
    return reply_error(c, msg);
  }
  if ((cmd->arity > 0 && argc != cmd->arity) || (cmd->arity < 0 && argc < -cmd->arity)) {
    char msg[128];
    snprintf(msg, sizeof msg, "ERR wrong number of arguments for '%s' command", cmd->name);
    return reply_error(c, msg);
  }
  cmd->fn(c, argc, argv);
}

static void drop_client(int i) {
  struct client *c = clients[i];
  close(c->fd);
  free(c->in);
  free(c->out);
  free(c);
  clients[i] = clients[--nclients];
}

/* Handles readable input on client i; returns -1 when it must be dropped. */
static int on_readable(struct client *c) {
  if (c->in_cap - c->in_len < 4096) c->in = realloc(c->in, c->in_cap = c->in_cap * 2 + 16384);
  ssize_t got = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
  if (got < 0 && errno == EAGAIN) return 0;
  if (got <= 0) return -1;
  c->in_len += (size_t)got;
  while (c->in_len && !c->closing) {
    str *argv;
    size_t used = 0;
    int argc = parse_command(c, &argv, &used);
    if (argc == 0) break;
    if (argc == -1) return c->closing = 1, 0;
    if (argc > 0) {
      execute(c, argc, argv);
      for (int i = 0; i < argc; i++) free(argv[i].p);
    }
    memmove(c->in, c->in + used, c->in_len - used);
    c->in_len -= used;
  }
  return 0;
}

static int flush_output(struct client *c) {
  while (c->out_sent < c->out_len) {
    ssize_t w = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent, 0);
    if (w < 0 && errno == EAGAIN) return 0;
    if (w <= 0) return -1;
    c->out_sent += (size_t)w;
  }
  c->out_len = c->out_sent = 0;
  return c->closing ? -1 : 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version"))) {
    printf("Redis server v=%s sha=00000000:0 malloc=libc bits=64 build=tabernetes-wasi\n", REDIS_VERSION);
    return 0;
  }
  int conf_file = load_config(argc, argv);
  if (conf_file < 0) return 1;
  redis_log('C', '*', "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo");
  redis_log('C', '*', "Redis version=%s, bits=64, commit=00000000, modified=0, pid=1, just started", REDIS_VERSION);
  if (conf_file) redis_log('C', '*', "Configuration loaded");
  else redis_log('C', '#', "Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf");
  redis_log('M', '*', "monotonic clock: POSIX clock_gettime");
  int port = atoi(config_get("port"));
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  if (ls < 0 || bind(ls, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(ls, 511) < 0) {
    redis_log('M', '#', "Warning: Could not create server TCP listening socket *:%d: bind: %s", port, strerror(errno));
    redis_log('M', '#', "Failed listening on port %d (tcp), aborting.", port);
    return 1;
  }
  redis_log('M', '*', "Running mode=standalone, port=%d.", port);
  redis_log('M', '*', "Server initialized");
  redis_log('M', '*', "Ready to accept connections tcp");
  signal(SIGTERM, on_sigterm);
  signal(SIGINT, on_sigterm);
  struct pollfd fds[MAX_CLIENTS + 1];
  static long next_id = 3;
  while (!got_sigterm && !shutdown_requested) {
    fds[0].fd = ls;
    fds[0].events = nclients < MAX_CLIENTS ? POLLIN : 0;
    for (int i = 0; i < nclients; i++) {
      fds[i + 1].fd = clients[i]->fd;
      fds[i + 1].events = clients[i]->out_len ? POLLOUT : POLLIN;
    }
    if (poll(fds, (nfds_t)nclients + 1, 1000) < 0) continue;
    for (int i = nclients - 1; i >= 0; i--) {
      struct client *c = clients[i];
      short ev = fds[i + 1].revents;
      if (!ev) continue;
      int bad = 0;
      if (ev & (POLLIN | POLLHUP | POLLERR)) bad = on_readable(c);
      if (!bad && (c->out_len || c->closing)) bad = flush_output(c);
      if (bad) drop_client(i);
    }
    if (fds[0].revents & POLLIN) {
      int fd = accept(ls, NULL, NULL);
      if (fd < 0) continue;
      fcntl(fd, F_SETFL, O_NONBLOCK);
      struct client *c = calloc(1, sizeof *c);
      c->fd = fd;
      c->id = next_id++;
      clients[nclients++] = c;
    }
  }
  if (got_sigterm) printf("1:signal-handler (%lld) Received %s scheduling shutdown...\n", (long long)(now_ms() / 1000), got_sigterm == SIGINT ? "SIGINT" : "SIGTERM");
  redis_log('M', '*', "User requested shutdown...");
  redis_log('M', '#', "Redis is now ready to exit, bye bye...");
  return 0;
}

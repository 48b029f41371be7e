// redis-cli: Tabernetes' WASI build of Redis 7.4's client. `redis-cli [-h host] [-p port] [-n db] [--raw|--no-raw]
// [-e] [cmd args...]`; without a command, a REPL on stdin (prompt, echo and line editing when on a terminal).
// Output as redis-cli formats it: on a terminal (TERM set, as `kubectl exec -t` gives) `"value"`, `(integer) 1`,
// `(nil)`, `1) ...`, `(error) ERR ...`; otherwise raw (`value`, `1`, empty line for nil, one item per line).
#include <ctype.h>
#include <stdio.h>
#include "tabernetes.h"
#include "tabernetes_socket.h"

struct reply {
  char type; /* + - : $ * */
  long long integer;
  char *str;
  size_t len;
  long elements; /* -1: nil */
  struct reply **element;
};

static int sock = -1, tty, errcode;
static char host[256] = "127.0.0.1";
static int port = 6379, dbnum;
static char rbuf[65536];
static size_t rlen, rpos;

static int fill(void) {
  if (rpos == rlen) rpos = rlen = 0;
  ssize_t got = recv(sock, rbuf + rlen, sizeof rbuf - rlen, 0);
  if (got <= 0) return -1;
  rlen += (size_t)got;
  return 0;
}

static int read_line(char *out, size_t n) {
  size_t o = 0;
  for (;;) {
    while (rpos < rlen) {
      char ch = rbuf[rpos++];
      if (ch == '\n') {
        if (o && out[o - 1] == '\r') o--;
        out[o] = 0;
        return 0;
      }
      if (o + 1 < n) out[o++] = ch;
    }
    if (fill()) return -1;
  }
}

static struct reply *read_reply(void) {
  char line[1024];
  if (read_line(line, sizeof line)) return NULL;
  struct reply *r = calloc(1, sizeof *r);
  r->type = line[0];
  if (r->type == '+' || r->type == '-') r->str = strdup(line + 1), r->len = strlen(line + 1);
  else if (r->type == ':') r->integer = strtoll(line + 1, NULL, 10);
  else if (r->type == '$') {
    long len = strtol(line + 1, NULL, 10);
    r->elements = len < 0 ? -1 : 0;
    if (len >= 0) {
      r->str = malloc((size_t)len + 1);
      for (size_t got = 0; got < (size_t)len + 2;) {
        if (rpos == rlen && fill()) return NULL;
        size_t take = rlen - rpos < (size_t)len + 2 - got ? rlen - rpos : (size_t)len + 2 - got;
        for (size_t i = 0; i < take; i++, got++)
          if (got < (size_t)len) r->str[got] = rbuf[rpos + i];
        rpos += take;
      }
      r->str[len] = 0;
      r->len = (size_t)len;
    }
  } else if (r->type == '*') {
    r->elements = strtol(line + 1, NULL, 10);
    if (r->elements > 0) r->element = calloc((size_t)r->elements, sizeof *r->element);
    for (long i = 0; i < r->elements; i++)
      if (!(r->element[i] = read_reply())) return NULL;
  }
  return r;
}

static void free_reply(struct reply *r) {
  if (!r) return;
  for (long i = 0; i < r->elements && r->element; i++) free_reply(r->element[i]);
  free(r->element);
  free(r->str);
  free(r);
}

/* sdscatrepr: "..." with \n \r \t \a \b \\ \" and \xNN for other non-printables. */
static void print_repr(const char *s, size_t n) {
  putchar('"');
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    switch (ch) {
      case '\\': case '"': printf("\\%c", ch); break;
      case '\n': printf("\\n"); break;
      case '\r': printf("\\r"); break;
      case '\t': printf("\\t"); break;
      case '\a': printf("\\a"); break;
      case '\b': printf("\\b"); break;
      default: if (ch >= 32 && ch < 127) putchar(ch); else printf("\\x%02x", ch);
    }
  }
  putchar('"');
}

static void print_tty(struct reply *r, const char *prefix) {
  switch (r->type) {
    case '-': printf("(error) %s\n", r->str); break;
    case '+': printf("%s\n", r->str); break;
    case ':': printf("(integer) %lld\n", r->integer); break;
    case '$':
      if (r->elements < 0) printf("(nil)\n");
      else print_repr(r->str, r->len), putchar('\n');
      break;
    case '*': {
      if (r->elements < 0) { printf("(nil)\n"); break; }
      if (r->elements == 0) { printf("(empty array)\n"); break; }
      int idxlen = 0;
      for (long i = r->elements; i; i /= 10) idxlen++;
      char sub[256];
      snprintf(sub, sizeof sub, "%s%*s", prefix, idxlen + 2, "");
      for (long i = 0; i < r->elements; i++) {
        printf("%s%*ld) ", i == 0 ? "" : prefix, idxlen, i + 1);
        print_tty(r->element[i], sub);
      }
      break;
    }
  }
}

static void print_raw(struct reply *r) {
  switch (r->type) {
    case '-': printf("%s\n", r->str); break;
    case '+': case '$': if (r->str) fwrite(r->str, 1, r->len, stdout); break;
    case ':': printf("%lld", r->integer); break;
    case '*':
      for (long i = 0; i < r->elements; i++) {
        if (i) putchar('\n');
        print_raw(r->element[i]);
      }
  }
}

static int connect_server(void) {
  struct addrinfo *ai;
  char ps[16];
  snprintf(ps, sizeof ps, "%d", port);
  int rc = getaddrinfo(host, ps, NULL, &ai);
  if (rc) {
    fprintf(stderr, "Could not connect to Redis at %s:%d: %s\n", host, port, gai_strerror(rc));
    return -1;
  }
  sock = socket(AF_INET, SOCK_STREAM, 0);
  if (sock < 0 || connect(sock, ai->ai_addr, ai->ai_addrlen) < 0) {
    fprintf(stderr, "Could not connect to Redis at %s:%d: %s\n", host, port, errno == ECONNREFUSED ? "Connection refused" : strerror(errno));
    freeaddrinfo(ai);
    if (sock >= 0) close(sock);
    sock = -1;
    return -1;
  }
  freeaddrinfo(ai);
  return 0;
}

static int send_command(int argc, char **argv, size_t *lens) {
  char head[32];
  int n = snprintf(head, sizeof head, "*%d\r\n", argc);
  if (send(sock, head, (size_t)n, 0) < 0) return -1;
  for (int i = 0; i < argc; i++) {
    n = snprintf(head, sizeof head, "$%zu\r\n", lens[i]);
    if (send(sock, head, (size_t)n, 0) < 0 || send(sock, argv[i], lens[i], 0) < 0 || send(sock, "\r\n", 2, 0) < 0) return -1;
  }
  return 0;
}

/* Sends one command and prints its reply; returns 1 when the reply was an error, -1 when the connection failed. */
static int run_command(int argc, char **argv, size_t *lens) {
  if (send_command(argc, argv, lens) < 0) return -1;
  struct reply *r = read_reply();
  if (!r) return -1;
  int is_error = r->type == '-';
  if (is_error && errcode && !tty) {
    fprintf(stderr, "%s\n", r->str);
    exit(1);
  }
  if (!strcasecmp(argv[0], "info") && r->type == '$' && r->str) fwrite(r->str, 1, r->len, stdout), putchar('\n');
  else if (tty) print_tty(r, "");
  else print_raw(r), putchar('\n');
  if (!is_error && !strcasecmp(argv[0], "select") && argc == 2) dbnum = atoi(argv[1]);
  fflush(stdout);
  free_reply(r);
  return is_error;
}

#include "cli-repl.h"

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOFBF, 1 << 16);
  const char *term = getenv("TERM");
  tty = term && *term && strcmp(term, "dumb");
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (!strcmp(a, "-h") && more) snprintf(host, sizeof host, "%s", argv[++i]);
    else if (!strcmp(a, "-p") && more) port = atoi(argv[++i]);
    else if (!strcmp(a, "-n") && more) dbnum = atoi(argv[++i]);
    else if (!strcmp(a, "--raw")) tty = 0;
    else if (!strcmp(a, "--no-raw")) tty = 1;
    else if (!strcmp(a, "-e")) errcode = 1;
    else if (!strcmp(a, "-v") || !strcmp(a, "--version")) return printf("redis-cli 7.4.1\n"), 0;
    else if (!strcmp(a, "--help")) {
      printf("redis-cli 7.4.1 (Tabernetes WASI build)\n\nUsage: redis-cli [OPTIONS] [cmd [arg [arg ...]]]\n"
             "  -h <hostname>      Server hostname (default: 127.0.0.1).\n  -p <port>          Server port (default: 6379).\n"
             "  -n <db>            Database number.\n  -e                 Return exit error code when command execution fails.\n"
             "  --raw              Use raw formatting for replies (default when STDOUT is not a tty).\n"
             "  --no-raw           Force formatted output even when STDOUT is not a tty.\n");
      return 0;
    } else {
      fprintf(stderr, "Unrecognized option or bad number of args for: '%s'\n", a);
      return 1;
    }
  }
  if (connect_server() < 0) {
    fflush(stdout);
    if (i < argc) return 1;
  } else if (dbnum) {
    char sel[16], *sv[2] = {"SELECT", sel};
    snprintf(sel, sizeof sel, "%d", dbnum);
    size_t sl[2] = {6, strlen(sel)};
    int keep = dbnum;
    send_command(2, sv, sl);
    free_reply(read_reply());
    dbnum = keep;
  }
  if (i < argc) {
    size_t lens[256];
    int n = argc - i < 256 ? argc - i : 256;
    for (int k = 0; k < n; k++) lens[k] = strlen(argv[i + k]);
    int rc = run_command(n, argv + i, lens);
    fflush(stdout);
    if (rc < 0) {
      fprintf(stderr, "Error: Server closed the connection\n");
      return 1;
    }
    return 0;
  }
  return repl();
}

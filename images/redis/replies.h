/*
 * replies.h: RESP2 reply encoding into a client's output buffer, and argument parsing helpers with Redis'
 * error texts.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>

struct client {
  int fd;
  int db;
  int closing; /* QUIT: close once the output is written */
  char *in;
  size_t in_len, in_cap;
  char *out;
  size_t out_len, out_cap, out_sent;
  char name[64];
  long id;
};

static void out_append(struct client *c, const char *p, size_t n) {
  if (c->out_len + n > c->out_cap) {
    c->out_cap = (c->out_len + n) * 2 + 256;
    c->out = realloc(c->out, c->out_cap);
  }
  memcpy(c->out + c->out_len, p, n);
  c->out_len += n;
}

static void reply_fmt(struct client *c, const char *fmt, ...) {
  char tmp[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  out_append(c, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void reply_ok(struct client *c) { out_append(c, "+OK\r\n", 5); }
static void reply_nil(struct client *c) { out_append(c, "$-1\r\n", 5); }
static void reply_int(struct client *c, long long v) { reply_fmt(c, ":%lld\r\n", v); }
static void reply_array(struct client *c, long long n) { reply_fmt(c, "*%lld\r\n", n); }
static void reply_status(struct client *c, const char *s) { reply_fmt(c, "+%s\r\n", s); }

static void reply_bulk(struct client *c, const char *p, size_t n) {
  reply_fmt(c, "$%zu\r\n", n);
  out_append(c, p, n);
  out_append(c, "\r\n", 2);
}

static void reply_cstr(struct client *c, const char *s) { reply_bulk(c, s, strlen(s)); }

/* An error reply: msg without the leading '-' (e.g. "ERR syntax error"). */
static void reply_error(struct client *c, const char *msg) {
  out_append(c, "-", 1);
  /* Newlines would break the protocol: Redis replaces them with spaces. */
  for (const char *p = msg; *p; p++) out_append(c, *p == '\r' || *p == '\n' ? " " : p, 1);
  out_append(c, "\r\n", 2);
}

#define ERR_WRONGTYPE "WRONGTYPE Operation against a key holding the wrong kind of value"
#define ERR_NOTINT "ERR value is not an integer or out of range"
#define ERR_SYNTAX "ERR syntax error"

/* Parses a whole base-10 64-bit integer (Redis' string2ll: no spaces, no '+'). */
static int parse_ll(const str *a, long long *out) {
  if (!a->n || a->n > 20 || a->p[0] == '+' || a->p[0] == ' ' || (a->n > 1 && a->p[0] == '0')) {
    if (a->n == 1 && a->p[0] == '0') return *out = 0, 0;
    return -1;
  }
  char *end;
  errno = 0;
  long long v = strtoll(a->p, &end, 10);
  if (errno || end != a->p + a->n || (a->n > 1 && a->p[0] == '-' && a->p[1] == '0')) return -1;
  *out = v;
  return 0;
}

static int arg_ll(struct client *c, const str *a, long long *out) {
  if (parse_ll(a, out) == 0) return 0;
  reply_error(c, ERR_NOTINT);
  return -1;
}

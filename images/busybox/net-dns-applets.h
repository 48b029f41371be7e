/* busybox nslookup (the FEATURE_NSLOOKUP_BIG one of 1.36) over the Tabernetes cluster DNS import
 * `tabernetes_sock.dns_query` (src/workers/runtime/wasi/wasi-socket-calls.ts). As busybox does: the server and
 * search list come from /etc/resolv.conf; a dotless name is tried under each search domain (never bare), a
 * dotted one as given (no ndots); default queries are A then AAAA; every reply is printed in query order. */

#include <strings.h>

__attribute__((import_module("tabernetes_sock"), import_name("dns_query")))
int __tabernetes_sock_dns_query(const char *name, size_t len, int qtype, char *out, size_t cap, size_t *out_len);

struct ns_query { char *name; int type; };

static void ns_print_reply(int fd, const char *name, const char *ans, size_t len, int *exitcode) {
  size_t n = 0;
  const char *p = ans, *end = ans + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) nl = end;
    char line[1200];
    size_t l = (size_t)(nl - p) < sizeof line - 1 ? (size_t)(nl - p) : sizeof line - 1;
    memcpy(line, p, l);
    line[l] = 0;
    char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : 0;
    if (t1 && t2) {
      *t1 = 0;
      *t2 = 0;
      if (!strcmp(line, "A")) dprintf(fd, "Name:\t%s\nAddress: %s\n", t1 + 1, t2 + 1);
      else if (!strcmp(line, "CNAME")) dprintf(fd, "%s\tcanonical name = %s\n", t1 + 1, t2 + 1);
      else if (!strcmp(line, "SRV")) dprintf(fd, "%s\tservice = %s\n", t1 + 1, t2 + 1);
      n++;
    }
    p = nl + 1;
  }
  if (!n) dprintf(fd, "*** Can't find %s: No answer\n", name);
  (void)exitcode;
}

/* nslookup [-type=A|AAAA|CNAME|SRV] [-debug] [-timeout=SEC] [-retry=N] [-port=N] NAME [SERVER] */
static int app_nslookup(int argc, char **argv, struct io io) {
  static const struct { const char *name; int type; } qtypes[] = {{"A", 1}, {"AAAA", 28}, {"CNAME", 5}, {"SRV", 33}};
  int types[4], ntypes = 0, i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    char *arg = argv[i] + 1, *val = strchr(arg, '=');
    if (val) *val++ = 0;
    else val = "";
    if (!strcmp(arg, "type") || !strcmp(arg, "querytype")) {
      int k = 0;
      while (k < 4 && strcasecmp(qtypes[k].name, val)) k++;
      if (k == 4) { dprintf(io.err, "nslookup: invalid query type \"%s\"\n", val); return 1; }
      if (ntypes < 4) types[ntypes++] = qtypes[k].type;
    } else if (strcmp(arg, "debug") && strcmp(arg, "port") && strcmp(arg, "retry") && strcmp(arg, "t") && strcmp(arg, "timeout")) {
      ws(io.err, "BusyBox v1.36.1 (Tabernetes WASI build, wasm32-wasip1) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,any,srv,ptr\n");
      return 1;
    }
  }
  if (i >= argc || argc - i > 2) {
    ws(io.err, "BusyBox v1.36.1 (Tabernetes WASI build, wasm32-wasip1) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,any,srv,ptr\n");
    return 1;
  }
  const char *host = argv[i];
  char server[64] = "", search[512] = "";
  if (argc - i == 2) snprintf(server, sizeof server, "%s", argv[i + 1]);
  char *conf = 0;
  size_t clen = 0;
  int cfd = open("/etc/resolv.conf", O_RDONLY);
  if (cfd >= 0 && readall(cfd, &conf, &clen) == 0) {
    conf = realloc(conf, clen + 1);
    conf[clen] = 0;
    for (char *line = strtok(conf, "\n"); line; line = strtok(0, "\n")) {
      char key[16], val[512];
      if (sscanf(line, "%15s %511[^\n]", key, val) != 2) continue;
      if (!strcmp(key, "nameserver") && !server[0]) sscanf(val, "%63s", server);
      else if (!strcmp(key, "search") || !strcmp(key, "domain")) snprintf(search, sizeof search, "%s", val);
    }
  }
  if (cfd >= 0) close(cfd);
  if (!server[0]) snprintf(server, sizeof server, "127.0.0.1");
  if (!ntypes) { types[0] = 1; types[1] = 28; ntypes = 2; }
  struct ns_query q[64];
  int nq = 0;
  for (int t = 0; t < ntypes; t++) {
    if (strchr(host, '.') || !search[0]) {
      if (nq < 64) q[nq++] = (struct ns_query){strdup(host), types[t]};
      continue;
    }
    char *s = search;
    while (*s) {
      while (*s == ' ' || *s == '\t') s++;
      char *e = s;
      while (*e && *e != ' ' && *e != '\t') e++;
      if (e > s && nq < 64) {
        char *full = malloc(strlen(host) + (size_t)(e - s) + 2);
        sprintf(full, "%s.%.*s", host, (int)(e - s), s);
        q[nq++] = (struct ns_query){full, types[t]};
      }
      s = e;
    }
  }
  int exitcode = 0;
  char *ans = malloc(65536);
  for (int k = 0; k < nq; k++) {
    size_t len = 0;
    int err = __tabernetes_sock_dns_query(q[k].name, strlen(q[k].name), q[k].type, ans, 65536, &len);
    if (err && err != ENOENT) {
      if (k == 0) { ws(io.out, ";; connection timed out; no servers could be reached\n\n"); return 1; }
      break;
    }
    if (k == 0) dprintf(io.out, "Server:\t\t%s\nAddress:\t%s:53\n\n", server, server);
    if (err == ENOENT) {
      dprintf(io.out, "** server can't find %s: NXDOMAIN\n", q[k].name);
      exitcode = 1;
    } else ns_print_reply(io.out, q[k].name, ans, len, &exitcode);
    ws(io.out, "\n");
  }
  free(ans);
  free(conf);
  return exitcode;
}
